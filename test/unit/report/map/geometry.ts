/** Reads node boxes and texts back from a rendered exposure map (one node or edge per line), for geometry checks. */
import { textWidth } from '../../../../src/report/map/text.ts';

export interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export function nodeLines(svg: string): string[] {
  return svg.split('\n').filter((l) => l.startsWith('<g class="node'));
}

export function nodeBoxes(svg: string): Box[] {
  return nodeLines(svg).map((l) => {
    const id = /data-id="([^"]*)"/.exec(l)![1]!;
    const r = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(l)!;
    return { id, x: Number(r[1]), y: Number(r[2]), w: Number(r[3]), h: Number(r[4]) };
  });
}

/** Every text in a node line that is not the badge count, with its estimated right edge. */
export function nodeTexts(line: string): Array<{ text: string; x: number; right: number }> {
  const out: Array<{ text: string; x: number; right: number }> = [];
  for (const m of line.replace(/<g class="badge">.*?<\/g>/g, '').matchAll(/<text( class="[^"]*")? x="([\d.]+)" y="[\d.]+"([^>]*)>([^<]*)<\/text>/g)) {
    if (m[1]?.includes('public-mark')) continue;
    const attrs = m[3]!;
    const fs = Number(/font-size="([\d.]+)"/.exec(attrs)?.[1] ?? 12);
    const bold = /font-weight="(600|700)"/.test(attrs);
    const text = unescape(m[4]!);
    out.push({ text, x: Number(m[2]), right: Number(m[2]) + textWidth(text, fs, bold) });
  }
  return out;
}

/** Edge label boxes (estimated from the text and its baseline). */
export function labelBoxes(svg: string): Array<Box & { text: string }> {
  const out: Array<Box & { text: string }> = [];
  for (const l of svg.split('\n').filter((x) => x.startsWith('<g class="edge'))) {
    for (const m of l.matchAll(/<text class="edge-label" x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
      const text = unescape(m[4]!);
      const fs = Number(m[3]);
      out.push({ id: 'label', text, x: Number(m[1]), y: Number(m[2]) - fs, w: textWidth(text, fs), h: fs + 2 });
    }
  }
  return out;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
