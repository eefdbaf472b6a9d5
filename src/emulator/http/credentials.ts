/**
 * The credentials an `AWS_IAM` function URL accepts. On AWS any IAM principal allowed by the function's
 * resource policy may call it; locally, a request is authorised when it is validly signed with one of these
 * key pairs.
 */
import { EmulatorConfigError } from '../errors.js';

/**
 * An access key the emulator accepts, and who it stands for in `requestContext.authorizer.iam`.
 *
 * @example
 * const credentials: SigV4Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
 */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * Temporary credentials' token. When set, requests must carry it in a signed `x-amz-security-token` header;
   * when unset, a token a request carries is not checked.
   */
  sessionToken?: string;
  /** `userArn` in the event; default `arn:aws:iam::<accountId>:user/sluice`. */
  userArn?: string;
}

/**
 * The example key pair from AWS's documentation, accepted by default:
 * `curl --aws-sigv4 "aws:amz:us-east-1:lambda" --user AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY …`.
 *
 * @example
 * const { accessKeyId, secretAccessKey } = DEFAULT_CREDENTIALS;
 */
export const DEFAULT_CREDENTIALS: Readonly<SigV4Credentials> = Object.freeze({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});

/**
 * Environment variables that replace the default key pair.
 *
 * @example
 * SLUICE_ACCESS_KEY_ID=local SLUICE_SECRET_ACCESS_KEY=secret sluice start
 */
export const CredentialEnv = {
  accessKeyId: 'SLUICE_ACCESS_KEY_ID',
  secretAccessKey: 'SLUICE_SECRET_ACCESS_KEY',
  sessionToken: 'SLUICE_SESSION_TOKEN',
} as const;

function check(credentials: SigV4Credentials, where: string): SigV4Credentials {
  if (
    typeof credentials?.accessKeyId !== 'string' ||
    credentials.accessKeyId === '' ||
    typeof credentials.secretAccessKey !== 'string' ||
    credentials.secretAccessKey === ''
  ) {
    throw new EmulatorConfigError(`${where}: accessKeyId and secretAccessKey must be non-empty strings.`);
  }
  if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== 'string') {
    throw new EmulatorConfigError(`${where}: sessionToken must be a string.`);
  }
  return credentials;
}

/**
 * The key pairs `AWS_IAM` URLs accept. Given `credentials`, exactly those. Otherwise:
 *
 * 1. `SLUICE_ACCESS_KEY_ID` / `SLUICE_SECRET_ACCESS_KEY` (and `SLUICE_SESSION_TOKEN`) when both are set, else
 *    `DEFAULT_CREDENTIALS` (AWS's documented example pair);
 * 2. plus `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) when both are set, so the
 *    commands of the public examples, `curl --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" --aws-sigv4 …`,
 *    work unchanged against the emulator.
 *
 * @example
 * resolveCredentials(undefined, {}); // [DEFAULT_CREDENTIALS]
 * resolveCredentials(undefined, { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S' }); // [DEFAULT_CREDENTIALS, { A, S }]
 */
export function resolveCredentials(
  credentials: SigV4Credentials | readonly SigV4Credentials[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SigV4Credentials[] {
  if (credentials !== undefined) {
    const list = Array.isArray(credentials)
      ? (credentials as readonly SigV4Credentials[])
      : [credentials as SigV4Credentials];
    if (list.length === 0) throw new EmulatorConfigError('credentials must name at least one key pair.');
    return list.map((entry, index) => check(entry, `credentials[${index}]`));
  }
  const fromEnv = (id: string, secret: string, token: string): SigV4Credentials | undefined => {
    const accessKeyId = env[id];
    const secretAccessKey = env[secret];
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = env[token];
    return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
  };
  const list: SigV4Credentials[] = [
    fromEnv(CredentialEnv.accessKeyId, CredentialEnv.secretAccessKey, CredentialEnv.sessionToken) ?? {
      ...DEFAULT_CREDENTIALS,
    },
  ];
  const aws = fromEnv('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN');
  if (aws && !list.some((entry) => entry.accessKeyId === aws.accessKeyId)) list.push(aws);
  return list;
}
