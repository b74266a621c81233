import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './bitmap-font';
import type { RocPoint } from './roc';

type Color = [number, number, number];

const WHITE: Color = [255, 255, 255];
const BLACK: Color = [0, 0, 0];
const GRID: Color = [225, 225, 225];
const DIAGONAL: Color = [170, 170, 170];
/** Line colours of successive series (blue, orange, green, red: the Tableau 10 palette). */
const SERIES_COLORS: Color[] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40]];

/** Chart size and the plot area inside it, in pixels. */
const CHART_SIZE = { width: 480, height: 400 };
const PLOT = { left: 60, top: 30, right: 460, bottom: 350 };

/** A named line of (x, y) points in data units. */
export interface Series {
  name: string;
  points: Array<[number, number]>;
}

/** A tiny RGB canvas on top of a pngjs image. */
class Canvas {
  readonly png: PNG;

  constructor(width: number, height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }

  setPixel(x: number, y: number, color: Color): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.png.width || py >= this.png.height) return;
    const offset = (py * this.png.width + px) * 4;
    this.png.data[offset] = color[0];
    this.png.data[offset + 1] = color[1];
    this.png.data[offset + 2] = color[2];
    this.png.data[offset + 3] = 255;
  }

  /** Draws a line `thickness` pixels wide by stepping along its longer axis. */
  line(x0: number, y0: number, x1: number, y1: number, color: Color, thickness = 1): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    const half = Math.floor(thickness / 2);
    for (let step = 0; step <= steps; step++) {
      const x = x0 + ((x1 - x0) * step) / steps;
      const y = y0 + ((y1 - y0) * step) / steps;
      for (let dx = -half; dx <= half; dx++) for (let dy = -half; dy <= half; dy++) this.setPixel(x + dx, y + dy, color);
    }
  }

  /** Draws text with its top-left corner at (x, y), scaled by an integer factor. */
  text(x: number, y: number, value: string, color: Color, scale = 1): void {
    [...value].forEach((character, index) => {
      const rows = glyphRows(character);
      const left = x + index * (GLYPH_WIDTH + 1) * scale;
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        for (let column = 0; column < GLYPH_WIDTH; column++) {
          if ((rows[row] & (1 << (GLYPH_WIDTH - 1 - column))) === 0) continue;
          for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) this.setPixel(left + column * scale + sx, y + row * scale + sy, color);
        }
      }
    });
  }

  toBuffer(): Buffer {
    return PNG.sync.write(this.png);
  }
}

function textWidth(value: string, scale = 1): number {
  return value.length * (GLYPH_WIDTH + 1) * scale;
}

/** Formats an axis tick with at most 3 decimals and no trailing zeros. */
function formatTick(value: number): string {
  return String(Number(value.toFixed(3)));
}

/**
 * Renders line series on axes spanning `xRange` and `yRange`, with 5 ticks per axis, a legend and a
 * title, and returns the PNG bytes.
 */
export function renderLineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  xRange: [number, number];
  yRange: [number, number];
  series: Series[];
  diagonal?: boolean;
  /** Puts x ticks on whole numbers only, for epochs. */
  wholeX?: boolean;
}): Buffer {
  const canvas = new Canvas(CHART_SIZE.width, CHART_SIZE.height);
  const [xMin, xMax] = options.xRange;
  const [yMin, yMax] = options.yRange;
  const toX = (x: number): number => PLOT.left + ((x - xMin) / (xMax - xMin || 1)) * (PLOT.right - PLOT.left);
  const toY = (y: number): number => PLOT.bottom - ((y - yMin) / (yMax - yMin || 1)) * (PLOT.bottom - PLOT.top);

  const ticks = 5;
  const xStep = options.wholeX === true ? Math.max(1, Math.ceil((xMax - xMin) / ticks)) : (xMax - xMin) / ticks;
  for (let xValue = xMin; xValue <= xMax + 1e-9 && xStep > 0; xValue += xStep) {
    canvas.line(toX(xValue), PLOT.top, toX(xValue), PLOT.bottom, GRID);
    const xText = formatTick(xValue);
    canvas.text(toX(xValue) - textWidth(xText) / 2, PLOT.bottom + 6, xText, BLACK);
  }
  for (let i = 0; i <= ticks; i++) {
    const yValue = yMin + ((yMax - yMin) * i) / ticks;
    canvas.line(PLOT.left, toY(yValue), PLOT.right, toY(yValue), GRID);
    const yText = formatTick(yValue);
    canvas.text(PLOT.left - 6 - textWidth(yText), toY(yValue) - GLYPH_HEIGHT / 2, yText, BLACK);
  }
  canvas.line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, BLACK);
  canvas.line(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, BLACK);
  if (options.diagonal === true) canvas.line(toX(xMin), toY(yMin), toX(xMax), toY(yMax), DIAGONAL);

  // The legend sits in the top-right corner, right-aligned to its longest name.
  const legendLeft = PLOT.right - 8 - Math.max(0, ...options.series.map((series) => textWidth(series.name))) - 22;
  options.series.forEach((series, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    for (let i = 1; i < series.points.length; i++) {
      const [xa, ya] = series.points[i - 1];
      const [xb, yb] = series.points[i];
      canvas.line(toX(xa), toY(ya), toX(xb), toY(yb), color, 2);
    }
    if (series.points.length === 1) canvas.line(toX(series.points[0][0]) - 2, toY(series.points[0][1]), toX(series.points[0][0]) + 2, toY(series.points[0][1]), color, 3);
    const legendY = PLOT.top + 8 + index * 14;
    canvas.line(legendLeft, legendY + 3, legendLeft + 16, legendY + 3, color, 2);
    canvas.text(legendLeft + 22, legendY, series.name, BLACK);
  });

  canvas.text((CHART_SIZE.width - textWidth(options.title, 2)) / 2, 8, options.title, BLACK, 2);
  canvas.text((PLOT.left + PLOT.right - textWidth(options.xLabel)) / 2, PLOT.bottom + 24, options.xLabel, BLACK);
  canvas.text(4, PLOT.top - 14, options.yLabel, BLACK);
  return canvas.toBuffer();
}

/** Writes the ROC curve of one or more score sets as a PNG. */
export async function writeRocChart(filePath: string, curves: Array<{ name: string; points: RocPoint[] }>): Promise<void> {
  const png = renderLineChart({
    title: 'ROC',
    xLabel: 'FALSE POSITIVE RATE',
    yLabel: 'TRUE POSITIVE RATE',
    xRange: [0, 1],
    yRange: [0, 1],
    diagonal: true,
    series: curves.map(({ name, points }) => ({ name, points: points.map((point) => [point.falsePositiveRate, point.truePositiveRate]) })),
  });
  await writeFile(filePath, png);
}

/** Writes per-epoch curves (training and validation loss) as a PNG; epochs count from 1. */
export async function writeLossChart(filePath: string, curves: Array<{ name: string; values: number[] }>): Promise<void> {
  const finite = curves.flatMap(({ values }) => values.filter(Number.isFinite));
  const epochs = Math.max(1, ...curves.map(({ values }) => values.length));
  const yMax = finite.length > 0 ? Math.max(...finite) : 1;
  const yMin = finite.length > 0 ? Math.min(0, ...finite) : 0;
  const png = renderLineChart({
    title: 'LOSS',
    xLabel: 'EPOCH',
    yLabel: 'LOSS',
    xRange: [1, Math.max(2, epochs)],
    wholeX: true,
    // A fifth of headroom above the highest value keeps the legend in the top-right corner clear of the curves.
    yRange: [yMin, yMax > yMin ? yMax + (yMax - yMin) / 5 : yMin + 1],
    series: curves.map(({ name, values }) => ({ name, points: values.map((value, index) => [index + 1, value] as [number, number]).filter(([, value]) => Number.isFinite(value)) })),
  });
  await writeFile(filePath, png);
}
