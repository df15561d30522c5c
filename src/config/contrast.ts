/**
 * Contrast ratio of two sRGB colours, as WCAG 2.1 defines it (1.4.3, "relative luminance" and "contrast ratio" in
 * the glossary): the operator's primary colour must keep text and buttons readable.
 */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** Relative luminance of `#rrggbb` (WCAG 2.1 glossary). */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
