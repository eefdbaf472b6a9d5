exports.handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.end();
});
