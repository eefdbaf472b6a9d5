/**
 * sluice/dev: `sluice dev` and `sluice invoke` as library functions. `startDev` serves a project (a SAM
 * template, a directory or a handler file) on a local emulator that streams, rebuilding on change;
 * `invokeFunction` calls a function through it and hands over the response as it arrives.
 *
 * @example
 * import { invokeFunction, startDev } from 'sluice/dev';
 *
 * const server = await startDev({ target: 'template.yaml', port: 0, watch: false });
 * const result = await invokeFunction({
 *   endpoint: server.url,
 *   functionName: server.functions[0]!.name,
 *   onChunk: (chunk) => process.stdout.write(chunk),
 * });
 * await server.close();
 */
export {
  type BuildContext,
  buildFunctions,
  type DevBuildStatus,
  type DevCodeKind,
  type FunctionBuild,
} from './build.js';
export {
  DEV_DEFAULTS,
  type DevFunction,
  type DevOptions,
  type DevReload,
  type DevServer,
  emulatorApiOptions,
  emulatorApis,
  resolveListen,
  startDev,
} from './dev-server.js';
export {
  type DevApi,
  type DevEndpoint,
  type DevEndpointKind,
  describeEndpoints,
  formatEndpoints,
  shellQuote,
  wrapCommand,
} from './endpoints.js';
export { DevError, DevErrorCode, type DevErrorCodeValue } from './errors.js';
export {
  INVOKE_VIAS,
  type InvokeRequest,
  type InvokeResult,
  type InvokeVia,
  invokeFunction,
} from './invoke-client.js';
export { DEV_DIRECTORY, openScratch } from './scratch.js';
export { SourceWatcher, type WatchSet } from './watcher.js';
