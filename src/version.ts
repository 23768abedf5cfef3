/** The collector/verifier version recorded in every bundle. Keep in step with package.json (a test checks). */
export const VERSION = '0.1.0';
