/**
 * A rendered metrics page, as `/metrics` serves it: the HTTP layer needs only this, never
 * the metrics library.
 */
export interface MetricsSource {
  /** The exposition format's content type, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** Collects every metric now and renders the page. */
  render(): Promise<string>;
}
