/**
 * A PascalCase construct ID from a name: each part between `.` `_` `-` `/` capitalised, the
 * separators dropped. Construct IDs are Terraform addresses, so every keyed child of this
 * library (zones, DNS zones, environments, repositories) takes its ID from here:
 * `ap-southeast-3a` → `ApSoutheast3a`, `piksel.big.go.id` → `PikselBigGoId`,
 * `piksel-core` → `PikselCore`, `team/ows` → `TeamOws`.
 */
export function pascalId(name: string): string {
  return name.split(/[._/-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
