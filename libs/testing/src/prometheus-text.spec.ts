import { parsePrometheusText } from './prometheus-text';

const VALID = `# HELP cophub_http_requests_total Requests
# TYPE cophub_http_requests_total counter
cophub_http_requests_total{method="GET",route="/api/v1/threads/:id",status="200"} 5
cophub_http_requests_total{method="GET",route="a \\"quoted\\" \\\\ path\\n",status="404"} 1

# TYPE cophub_lat histogram
cophub_lat_bucket{le="0.1",route="a"} 1
cophub_lat_bucket{le="+Inf",route="a"} 2
cophub_lat_sum{route="a"} 0.3
cophub_lat_count{route="a"} 2
cophub_lat_bucket{le="0.1",route="b"} 0
cophub_lat_bucket{le="+Inf",route="b"} 1
cophub_lat_sum{route="b"} 0.2
cophub_lat_count{route="b"} 1
# TYPE lag gauge
lag Nan
`;

describe('parsePrometheusText', () => {
  it('reads families, labels (with escapes) and labelled histograms', () => {
    const families = parsePrometheusText(VALID);
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['cophub_http_requests_total', 'counter', 2],
      ['cophub_lat', 'histogram', 8],
      ['lag', 'gauge', 1],
    ]);
    expect(families[0].samples[1].labels.route).toBe('a "quoted" \\ path\n');
    expect(families[1].samples.find((s) => s.name === 'cophub_lat_count' && s.labels.route === 'b')?.value).toBe(1);
    expect(families[2].samples[0].value).toBeNaN();
  });

  it.each([
    ['a garbage line', 'this is not a sample\n'],
    ['a value that is no number', 'x{a="1"} many\n'],
    ['an unquoted label', 'x{a=1} 1\n'],
    ['a bad escape', 'x{a="\\t"} 1\n'],
    ['a series twice', 'x{a="1"} 1\nx{a="1"} 2\n'],
    ['a TYPE after samples', 'x 1\n# TYPE x gauge\n'],
    ['an unknown type', '# TYPE x meter\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['buckets that are not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['a count unlike the +Inf bucket', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
