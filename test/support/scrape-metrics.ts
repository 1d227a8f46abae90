import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { parsePrometheusText, type MetricFamily } from './prometheus-text.js';

/** One scrape: the raw page, and its families as the strict reader parsed them. */
export interface Scrape {
  readonly text: string;
  readonly families: Map<string, MetricFamily>;
}

/** GETs `/metrics` (or `url`) as Prometheus would, expects a 200 in the text format, and parses it strictly. */
export async function scrapeMetrics(app: FastifyInstance, url = '/metrics'): Promise<Scrape> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { text: response.body, families: parsePrometheusText(response.body) };
}

/** Parses a page fetched over a real connection the same way. */
export async function scrapeUrl(url: string): Promise<Scrape> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  return { text, families: parsePrometheusText(text) };
}
