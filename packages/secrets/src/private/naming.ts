/** Lower-case kebab-case, as used in secret names, services and environments: `grafana`, `dev`. */
export const KEBAB_CASE = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID = /^\d{12}$/;
