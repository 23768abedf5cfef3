/** Report renderers: pure string functions over one ReportModel. */
import type { ReportModel } from './model.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSarif, type SarifOptions } from './sarif.ts';
import { renderText } from './text.ts';

export * from './model.ts';
export { renderHtml, renderJson, renderMarkdown, renderSarif, renderText };
export { renderExposureMap, SERVICE_TYPE_COLORS } from './svg-map.ts';
export { sarifArtifactUri } from './sarif.ts';
export { linkFindings, objectOf, presentFindings, reasonOf, sameFact, subjectLabel, type PresentedGroup, type PresentedItem } from './group.ts';

export const REPORT_FORMATS = ['text', 'markdown', 'html', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(model: ReportModel, format: ReportFormat, opts: SarifOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(model);
    case 'markdown':
      return renderMarkdown(model);
    case 'html':
      return renderHtml(model);
    case 'json':
      return renderJson(model);
    case 'sarif':
      return renderSarif(model, opts);
  }
}
