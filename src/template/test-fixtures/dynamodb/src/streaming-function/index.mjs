export const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.end();
});
