/**
 * xpflow xp-sample --input FILE --grid default|start:stop:step|a,b,c --out OUT.csv
 * Samples XP spectra to fluxes and writes them in GaiaXPy calibrate()'s CSV layout,
 * for a line-by-line comparison with GaiaXPy.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_XP_ERROR_TERMS, NO_XP_ERROR_TERMS } from '../../models/config/science.js';
import { parseGridSpec } from '../../models/xp/grid.js';
import { XpFluxSampler } from '../../models/xp/sample-flux.js';
import { xpSampler } from '../../models/xp/sampler.js';
import { calibratedCsvWriter } from '../../io/gaiaxpy-csv.js';
import { readXpFile } from '../../io/xp-table.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow xp-sample --input FILE --out OUT.csv [--grid default|START:STOP:STEP|A,B,C] [--error-terms]

  --input FILE     xp_continuous_mean_spectrum rows: the Gaia archive's CSV or Parquet
  --out OUT.csv    source_id,flux,flux_error as GaiaXPy calibrate() writes them
                   (and OUT_sampling.csv with the wavelengths)
  --grid G         default: GaiaXPy's 336..1020 nm step 2 (tabulated matrices);
                   START:STOP:STEP or A,B,C in nm; "pipeline" = 392:992:10
  --error-terms    add xpflow's zero-point and per-pixel error terms (docs/method.md §3);
                   off by default, so the errors equal GaiaXPy's`;

export async function xpSampleCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      out: { type: 'string' },
      grid: { type: 'string', default: 'default' },
      'error-terms': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.input || !values.out) throw new UsageError(usage);
  const sampler = xpSampler(parseGridSpec(values.grid!));
  const flux = new XpFluxSampler(sampler, {
    covariance: false,
    errorTerms: values['error-terms'] ? DEFAULT_XP_ERROR_TERMS : NO_XP_ERROR_TERMS,
  });
  const writer = await calibratedCsvWriter(values.out, sampler.wavelengths);
  const out = flux.allocate();
  let count = 0;
  try {
    for await (const batch of readXpFile(values.input, sampler.nCoefficients)) {
      for (const record of batch.records) {
        flux.sample(record, out);
        await writer.add(record.sourceId, out.flux, out.fluxError);
        count++;
      }
    }
    if (count === 0) throw new UsageError(`${values.input}: no rows`);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  process.stderr.write(`xp-sample: ${count} sources on ${sampler.wavelengths.length} wavelengths → ${values.out}\n`);
}
