/** JSON rendering: the report model as is (schemas/report.schema.json). Pure. */
import type { ReportModel } from './model.ts';

export function renderJson(m: ReportModel): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
