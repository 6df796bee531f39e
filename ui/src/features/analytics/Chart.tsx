// One chart of the Analytics page: drawn by Apache ECharts with its SVG renderer (crisp at any
// zoom, exportable as SVG as drawn; PNG is the SVG painted on a canvas), coloured from the
// app's CSS variables so it reads in both themes, with a table view of the same figures.
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { saveChart } from "../../lib/api/client";
import { pickSavePath } from "../../lib/files";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

/** The colours a chart takes from the theme. */
export type ChartColors = {
  text: string;
  muted: string;
  border: string;
  surface: string;
  series: string[];
};

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function themeColors(): ChartColors {
  return {
    text: cssVar("--text") || "#1a1c21",
    muted: cssVar("--text-muted") || "#5a6477",
    border: cssVar("--border") || "#d3dae6",
    surface: cssVar("--surface") || "#ffffff",
    series: ["--accent", "--sev-high", "--success", "--sev-medium", "--sev-critical", "--text-muted"].map(
      (v) => cssVar(v) || "#0b64dd",
    ),
  };
}

/** Follows the OS theme: charts are drawn again when it changes. */
function useColors(): ChartColors {
  const [colors, setColors] = useState(themeColors);
  useEffect(() => {
    const media = window.matchMedia?.("(prefers-color-scheme: dark)");
    const changed = () => setColors(themeColors());
    media?.addEventListener?.("change", changed);
    return () => media?.removeEventListener?.("change", changed);
  }, []);
  return colors;
}

export type ChartTable = { columns: string[]; rows: (string | number)[][] };

type Props = {
  id: string;
  title: string;
  /** A sentence under the title: what is counted. */
  note?: string;
  option: (colors: ChartColors) => echarts.EChartsCoreOption;
  table: ChartTable;
  /** "View cases": the cases list with the page's filters. */
  onViewCases?: () => void;
  empty?: boolean;
  height?: number;
  children?: ReactNode;
};

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The SVG painted on a canvas at twice its size, over the theme's surface colour. */
async function pngDataUrl(svg: string, width: number, height: number, background: string): Promise<string> {
  const img = new Image();
  img.width = width;
  img.height = height;
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error("the chart could not be drawn as an image"));
    img.src = svgDataUrl(svg);
  });
  const canvas = document.createElement("canvas");
  canvas.width = width * 2;
  canvas.height = height * 2;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no canvas to draw the chart on");
  ctx.scale(2, 2);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL("image/png");
}

export function Chart({ id, title, note, option, table, onViewCases, empty, height = 220, children }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const colors = useColors();
  const [asTable, setAsTable] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => {
    if (!host.current || asTable || empty) return;
    const c = echarts.init(host.current, null, { renderer: "svg" });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(host.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [asTable, empty]);

  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true }, ...option(colors) }, true);
  }, [option, colors, asTable, empty]);

  const save = async (ext: "png" | "svg") => {
    setSaveError(null);
    const c = chart.current;
    if (!c) return;
    try {
      const path = await pickSavePath(`Save “${title}”`, `${id}.${ext}`, ext);
      if (!path) return;
      const svg = c.renderToSVGString();
      const url = ext === "svg" ? svgDataUrl(svg) : await pngDataUrl(svg, c.getWidth(), c.getHeight(), colors.surface);
      await saveChart(path, url);
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
    }
  };

  const headingId = `chart-${id}`;
  return (
    <section className="chart-card" aria-labelledby={headingId} data-chart={id}>
      <header className="chart-head">
        <h2 id={headingId}>{title}</h2>
        <div className="chart-actions">
          {onViewCases && (
            <button type="button" className="link-button" onClick={onViewCases}>
              View cases
            </button>
          )}
          <button type="button" className="link-button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? "Chart" : "Table"}
          </button>
          {!asTable && !empty && (
            <>
              <button type="button" className="link-button" onClick={() => void save("png")} aria-label={`Save ${title} as PNG`}>
                PNG
              </button>
              <button type="button" className="link-button" onClick={() => void save("svg")} aria-label={`Save ${title} as SVG`}>
                SVG
              </button>
            </>
          )}
        </div>
      </header>
      {note && <p className="chart-note">{note}</p>}
      {saveError && (
        <p className="field-error" role="alert">
          Not saved: {saveError}
        </p>
      )}
      {empty ? (
        <p className="chart-empty">Nothing in this range.</p>
      ) : asTable ? (
        <div key="table" className="chart-table-wrap">
          <table className="chart-table">
            <caption>{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (j === 0 ? <th key={j} scope="row">{v}</th> : <td key={j}>{v}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        // Keyed apart from the table: ECharts empties its host when disposed, and a reused <div>
        // would lose the table React just put in it.
        <div key="chart" ref={host} className="chart-canvas" style={{ height }} role="img" aria-label={`${title} chart; use Table for the figures`} />
      )}
      {children}
    </section>
  );
}
