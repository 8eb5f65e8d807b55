// Prints a JWT the example apps accept (HS256 with JWT_SECRET) and a billing-page link that signs in with
// it. Users and workspaces: examples/common/memberships.ts (usr_owner owns ws_demo, usr_member reads).
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/scripts/sign-token.ts [usr_owner] [--hours 12]
import { parseArgs } from 'node:util';
import { isConfigError } from 'phonepe-billing';
import { jwtSecretFromEnv } from '../common/jwt-auth.js';
import { signJwt } from '../common/jwt.js';
import { DEMO_WORKSPACE, MEMBERSHIPS } from '../common/memberships.js';
import { listenAddress, originOf } from '../common/run-example.js';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { hours: { type: 'string', default: '12' }, workspace: { type: 'string', default: DEMO_WORKSPACE } },
  });
  const userId = positionals[0] ?? 'usr_owner';
  if (!Object.hasOwn(MEMBERSHIPS, userId))
    console.warn(
      `warning: ${userId} is in no workspace (examples/common/memberships.ts); the billing routes will answer 403.`,
    );
  const token = await signJwt({ sub: userId }, jwtSecretFromEnv(process.env), {
    expiresInSeconds: Number(values.hours) * 3600,
  });
  const { host, port } = listenAddress(process.env);
  console.log(token);
  console.log(`Billing page: ${originOf(host, port)}/#token=${token}&workspace=${values.workspace}`);
  console.log(
    `curl: curl -H 'Authorization: Bearer ${token}' -H 'X-Tenant-ID: ${values.workspace}' ${originOf(host, port)}/v1/subscriptions`,
  );
} catch (error) {
  console.error(isConfigError(error) || error instanceof TypeError ? error.message : error);
  process.exitCode = 1;
}
