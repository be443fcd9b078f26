/** Pieces the pages share: a confirmation dialog, messages, a small line chart. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { chartPoints, niceMax } from './lib/metrics.js';

/** A modal <dialog>: focus moves into it, Escape cancels, the confirm button is named by `action`. */
export function Confirm(props: { question: string; action: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const cancel = (e: Event) => (e.preventDefault(), props.onCancel());
    d.addEventListener('cancel', cancel);
    return () => d.removeEventListener('cancel', cancel);
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-question" class="confirm">
      <p id="confirm-question">{props.question}</p>
      <div class="buttons">
        <button type="button" onClick={props.onCancel}>Cancel</button>
        <button type="button" class="danger" onClick={props.onConfirm}>{props.action}</button>
      </div>
    </dialog>
  );
}

export function ErrorText(props: { error: string | null }) {
  return props.error ? <p role="alert" class="error">{props.error}</p> : null;
}

export function Notice(props: { text: string | null }) {
  return <p role="status" class="notice">{props.text ?? ''}</p>;
}

export function Section(props: { title: string; children: ComponentChildren }) {
  return (
    <section aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A line chart as SVG attributes only (no inline style: the CSP forbids it). */
export function LineChart(props: { label: string; values: Array<number | null>; max?: number; unit: string; latest: string }) {
  const w = 320, h = 80;
  const max = props.max ?? niceMax(Math.max(0, ...props.values.map((v) => v ?? 0)));
  return (
    <figure class="chart">
      <figcaption>{props.label}: <strong>{props.latest}</strong></figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={`${props.label}, last ${props.values.length} readings, now ${props.latest}`}>
        <line x1="0" y1={h} x2={w} y2={h} class="axis" />
        <text x="2" y="10" class="scale">{`${max} ${props.unit}`}</text>
        <polyline points={chartPoints(props.values, w, h, max)} class="series" fill="none" />
      </svg>
    </figure>
  );
}
