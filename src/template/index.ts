/**
 * sluice's template layer: a SAM/CloudFormation template (or a bare handler file) → the functions, function
 * URLs and API routes that `sluice dev` serves and `sluice archive` packages.
 *
 * @example
 * import { loadProject } from './template/index.js';
 *
 * const { functions, apis, warnings } = await loadProject('template.yaml');
 * for (const fn of functions) console.log(fn.logicalId, fn.definition.code, fn.url?.invokeMode);
 */
export {
  formatLocation,
  type SourceLocation,
  TemplateError,
  TemplateErrorCode,
  type TemplateErrorCodeValue,
} from './errors.js';
export { globalsFor, mergeGlobals } from './globals.js';
export {
  findModuleSource,
  isSourceFile,
  isTypeScriptFile,
  MODULE_EXTENSIONS,
  moduleCandidates,
  pickEntryPoint,
} from './handler-source.js';
export {
  type EvaluatorOptions,
  IntrinsicEvaluator,
  isIntrinsic,
  isUnresolved,
  type PseudoParameters,
  pseudoParameters,
  type ResourceResolver,
  Unresolved,
} from './intrinsics.js';
export { loadProject, PROJECT_DEFAULTS, TEMPLATE_FILE_NAMES } from './load-project.js';
export {
  defaultRegion,
  defaultStackName,
  loadTemplateFile,
  parseTemplate,
  physicalFunctionName,
} from './parse-template.js';
export {
  INTRINSIC_TAGS,
  type ParsedSource,
  parseTemplateSource,
  SHORT_FORM_INTRINSICS,
  type ValuePath,
} from './source.js';
export type {
  ApiRoute,
  FunctionCode,
  FunctionEvent,
  FunctionUrl,
  TemplateApi,
  TemplateFunction,
  TemplateOptions,
  TemplateProject,
  UrlCors,
} from './types.js';
