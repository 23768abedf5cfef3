/** Exit codes, documented in the README. */
export const Exit = {
  /** verified / ok */
  OK: 0,
  /** verified, but there are error-severity findings (policy, drift, exposure) */
  FINDINGS: 1,
  /** integrity or signature failure: the bundle cannot be trusted */
  INTEGRITY: 2,
  /** usage error: unknown command or flag, missing or conflicting options (sysexits EX_USAGE) */
  USAGE: 64,
  /** input unreadable or malformed: a file that does not exist, bad YAML, bad key, not a bundle (sysexits EX_DATAERR) */
  INPUT: 65,
  /** internal error: a bug (sysexits EX_SOFTWARE) */
  INTERNAL: 70,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];
