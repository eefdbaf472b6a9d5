/** sluice's version, sent in the runtime's User-Agent. A test keeps it equal to package.json's. */
export const SLUICE_VERSION = '0.1.0';

/** User-Agent of the runtime's Runtime API requests, in the style of AWS's runtimes (`AWS_Lambda_Cpp/0.2.8`). */
export const USER_AGENT = `sluice/${SLUICE_VERSION}`;
