/** The contenders' names as results report them. */
export const SLUICE_NAME = 'sluice';
export const RIC_NAME = 'aws-lambda-ric 3.3.0';
export const FLOOR_NAME = 'floor (bare Node.js http)';
export const NODE_E_0_NAME = 'node -e 0';
