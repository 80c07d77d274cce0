/** The NOTIFY channel every replica LISTENs on for policy version bumps. */
export const POLICY_CHANNEL = 'permission_policy_version';
