/**
 * Named recipes. "paper" is DEFAULT_RECIPE (METHOD.md §5: SGD + momentum, lr 1e-4,
 * 512 epochs a stage), meant for millions of stars and hours of training. "quick" keeps
 * the paper's stages and self-cleaning but trains with Adam for ~100–250 epochs a stage:
 * on skies of ~10⁴ training stars (the embedded default) plain SGD at 1e-4 has not moved
 * from its start by then (measured on the toy problem, test/forward-train.test.ts).
 * On the default sky, a third of these epochs left the NIR R(λ) at its initial guess and
 * the validation χ²/dof at 1.25; these give 0.85 and NIR R within 13 % (xpflow evaluate).
 *
 * The departures of "quick" from the paper's stages, each measured on the default sky
 * (xpflow evaluate; numbers in issue 5's notes):
 * - The joint stages hold each star's log g where the stars-only stage before them left
 *   it and fit Teff, [Fe/H], E and ϖ with the model (the stars-only stages fit all five).
 *   Not at the label: a subgiant's LAMOST log g error (~0.07) is as wide as the branch,
 *   and a model learnt at the labels is blurred there; reset to the labels before each
 *   joint stage, precision at the last flagging fell from 0.769 and 0.758 to 0.654 and
 *   0.641 (stage seeds 42 and 7; subgiants, giants and the clump worse). With log g
 *   free too, the model and the stars drift together along a direction the priors
 *   barely resist: the training stars' log g sank 0.06 dex below the truth and their ϖ
 *   rose 6 % above it as the model grew fainter, and the parameter criterion flagged
 *   hundreds of good stars. (Holding all of Θ stops the drift too, but leaves hot
 *   stars, whose Teff labels are the least certain, worse fitted: 126 against 81
 *   wrongly flagged.)
 * - The first joint stage trains on all stars, not the high-quality ones only: after a
 *   model fitted to the nearby stars alone, the first cleaning flagged half the set
 *   (3,000 of 5,659, mostly distant giants and hot stars, for the model's own error)
 *   and those regions were then never learned; now it flags ~650.
 * - Model-training stages weigh stars by inverse label density (density-weights.ts),
 *   as the authors' code does, except the first (model_hq). There the labels are held,
 *   and the weights favour sparse label regions, which is where mislabelled stars sit
 *   (a dwarf given a giant's log g at 6,000 K has no real neighbours): the first model
 *   learnt their spectra as that region's, no later stage unlearnt it, and their fitted
 *   log g stayed at the wrong label. On the 10⁵-star sky (188 such dwarfs among 14,106
 *   training stars) wrong-log g recall was 68 % with weights in model_hq and 88 %
 *   without (in-process, stage seed 42; precision 0.669 → 0.730); on the default sky
 *   the change is neutral (seeds 42, 7: 0.771, 0.757 → 0.769, 0.758). Pipeline runs
 *   (their own stage seeds): 10⁵ sky recall 67 → 86 %, precision 66.4 → 69.4 %, W2's R
 *   −18 → −15 %; default sky precision 73.9 → 76.1 %, W2's R −3 → −17 %: the NIR R
 *   spreads by ±10 % with the stage seeds at both sizes. The sparse real
 *   populations (hot stars above 10,000 K, whose Teff labels are too uncertain for the
 *   high-quality set, and the upper giant branch) get their weight in the later stages.
 * - After the first joint stage the model is re-anchored: refitted on the high-quality
 *   stars with their ϖ reset to Gaia's (their fitted Θ and E kept), then every star
 *   refitted. Where the first model is too faint (the red clump, which at a given Θ
 *   is ~15 % brighter than the giant branch beside it; the sparse upper giant branch
 *   and the hot stars, where the model extrapolates), each star's fitted ϖ absorbs the
 *   error: it is set by the flux, against which a Gaia prior of ϖ/σ ~ 5–20 hardly
 *   weighs. The joint stage then has no pull left towards a brighter model, and the
 *   parameter criterion flags the high-S/N stars of those regions (fitted ϖ high, log g
 *   low). Re-anchored, the giants' fitted ϖ went from 4–7 % to 2–3 % above the truth
 *   and the wrongly flagged giants and clump stars halved.
 * - The high-quality stages (model_hq, model_hq_anchor) also admit a Teff error up to
 *   4 % of Teff (recipe.highQuality), not only METHOD.md's 0.2 kK. LAMOST's Teff errors
 *   grow with Teff (the default sky's hot stars: 2–3 %, 240–410 K), so under METHOD.md's
 *   cut the first model had none of the 70 stars above 11,000 K with ϖ/σ > 10 and
 *   extrapolated there, too red; the first stars-only stage then pushed the hot stars' E
 *   2–4 σ below their priors to make them bluer, and every later model learnt the hot
 *   end at those E (hot stars' fitted E 0.017 low at the end). Cool stars' cut is
 *   unchanged (4 % of 5,000 K is 0.2 kK). In-process, precision at the last flagging
 *   and wrongly flagged hot stars, stage seeds 42 and 7:
 *   default sky 0.769, 0.758 → 0.792, 0.780 (hot 17, 20 → 9, 11);
 *   10⁵-star sky 0.730, 0.677 → 0.763, 0.770 (hot 45, 72 → 6, 3), where W1's and W2's
 *   R also came closer (−22/−37 %, −16/−27 % → −3/−4 %, −7/−11 %). On the default sky
 *   W1/W2's R went the other way (−4/−5 %, −7/−10 % → +19/+34 %, +10/+21 %):
 *   5,659 stars hardly fix R there (a 5 % change in W2's R moves Σχ² by ~6), and the
 *   hot stars' low E had been pulling it down.
 * - Self-cleaning thresholds 4σ (parameters) and 4.5σ (fluxes), not the seed's 3.5σ
 *   and 4σ. For a star the model fits, with Gaussian errors, the seed's criteria flag
 *   it by chance with probability e^(−3.5²/2) = 0.22 % (two parameters) and
 *   66 × 6.3·10⁻⁵ = 0.42 % (any of 66 fluxes); these give 0.034 % and 0.045 %. The
 *   seed's thresholds suit the paper's aim (2 million stars, a training set kept clean
 *   at the cost of a quarter of it); on these skies they flagged ~45 defect-free stars
 *   in 5,659 by the parameters, mostly giants, clump stars and subgiants whose mass
 *   (not a model input) moves their light, and ~13 by the fluxes. The injected
 *   defects are mostly far beyond either threshold. `xpflow evaluate` prints the
 *   trade-off at other thresholds with the final model and fits held. Retrained
 *   in-process (stage seeds 42 and 7), precision at the last flagging 0.792, 0.780 →
 *   0.858, 0.870 (default sky) and 0.763, 0.770 → 0.864, 0.868 (10⁵-star sky), wrong-
 *   log g recall 86 % (85–88 % on the 10⁵ sky, was 90 %), spurious ϖ and contaminated
 *   NIR unchanged within a star or two. Pipeline runs: default sky 79.8 → 85.8 %,
 *   10⁵-star sky 76.5 → 86.6 %; binaries whose companion moves ϖ by more than the
 *   threshold are fewer at 4σ, and of those the 10⁵-star run finds 67 % (16 of 24;
 *   19 of 29 at 3.5σ). At 4.5σ/4.5σ precision rose further (0.934, 0.926 default sky),
 *   but spurious-ϖ and visible-binary recall fell on the 10⁵ sky (95 %, 55 %);
 *   4σ/4.5σ puts both criteria at about the same chance rate.
 * - The Gaia parallax likelihood knows the sample's ϖ/σ > 3 cut (parallaxLikelihood
 *   'truncated', loss.ts): it is N(ϖ_obs; ϖ, σ) / Φ((ϖ − floor)/σ), the likelihood of a
 *   star that passed the cut, not N(ϖ_obs; ϖ, σ). A star whose true ϖ/σ is near 3 is in
 *   the sample more often when its noise was upward: the training stars' Gaia ϖ are 60 %
 *   above the truth at true ϖ/σ < 3, 20 % at 3–4 and 7 % at 4–5 (unbiased from 5 up).
 *   In-process, stage seed 42, fitted ϖ / true at true ϖ/σ < 3, 3–4, 4–5 went from 1.066,
 *   1.064, 1.061 to 1.047, 1.047, 1.059 on the default sky and from 1.056, 1.060, 1.063
 *   to 1.037, 1.042, 1.057 on the 10⁵-star sky; nothing else moved beyond the stage
 *   seeds' spread (precision 0.858, 0.870 → 0.857, 0.870 at seeds 42, 7 on the default
 *   sky; 0.864, 0.868 → 0.864, 0.869 on the 10⁵-star sky). The fitted ϖ of stars with
 *   true ϖ/σ < 10 stay 2–6 % above the truth, where Gaia's are not: that is the model,
 *   a few per cent too faint where the stars are distant, not the likelihood.
 * - After self-cleaning, a step puts the fitted E in the units of the reddening prior
 *   (settleReddening, reddening-settle.ts): along directions no flux sees, every E →
 *   a·E − γ·x(Θ), R(λ) → R(λ)/a and the model's colours to match, (a, γ) from the
 *   priors' least squares. The first model is learnt with E at its prior, whose noise
 *   dilutes R (≈ 0.94 on these skies), and training never undoes it: R(λ) ended 3–6 %
 *   low over the XP range with the fitted E a few per cent high. Applied to the final
 *   model and fits of the default and 10⁵-star skies' runs (rfad0ecc1418f →
 *   rfcde4385f125, r4fa6058e34ec → rd601e817b072): XP R −5.9 … −3.7 → −2.2 … +0.1 % and
 *   −3.6 … −2.9 → −0.8 … −0.1 %, NIR R 2–4 points higher; the populations' median
 *   E − E_true from −0.010 … +0.013 to −0.004 … +0.001, E's robust sd 0.011 → 0.009 and
 *   0.010 → 0.009; 4 and 11 stars' E (of 5,659, 14,106) would have gone below zero and
 *   are held at 10⁻⁴. In the training loop instead (after each joint stage,
 *   in-process) it overshot the XP R to +2 % and moved the NIR R 7 points up.
 * - After self-cleaning and before the reddening settlement, a line search along the
 *   model's overall brightness (settleBrightness, brightness-settle.ts): every band's
 *   ln f_abs + g with every ln ϖ − g/2 moves no flux; each trial refits the stars and
 *   scores the joint objective. Training left the model 2–3 % too faint at the true Θ
 *   and E (as a ϖ ratio; 1.024 on the default sky, 1.029 on the 10⁵-star sky, 1.022
 *   in the seed-7 draw): the nearby stars take such an error up in Θ (their log g
 *   0.01 dex low), where Gaia's parallaxes would have pulled the model, and the distant
 *   ones keep ϖ high. The objective (−2 ln L) falls by 305 and 731 at g = 0.042 and
 *   0.040 (default and 10⁵-star skies), where the model is within 0.6 % of the truth on
 *   the main sequence and the fitted ϖ within 0.4 % (1.5 % and 1.3 % before). Before
 *   each flagging instead (in-process), precision rose 0.857, 0.870 → 0.906, 0.877 on the
 *   default sky (stage seeds 42, 7) and 0.864 → 0.891 on the 10⁵-star sky, where
 *   wrong-log g recall fell 84.9 → 81.3 %, for 3–4 times the refits.
 * - Hidden layers 64 wide, not METHOD.md's 32 (width is configurable there): the hot
 *   stars lie 7–17 standardised units from the median Teff, where 32 tanh units
 *   saturate; wrongly flagged hot stars fell from ~50 to ~30 for 1.35× the time.
 * - A linear path from the standardised log g to every output beside the MLP
 *   (model.linearSkip, model-params.ts). At a given Teff and mass a star's light goes
 *   as its radius squared, R² = GM/g, so ln f_abs is linear in log g with slope
 *   −ln 10 at every wavelength. The upper giant branch (log g 1–1.8) lies 5–6
 *   standardised units below the median, where the tanh units saturate and the MLP
 *   alone levels off: the model stayed 12–22 % too faint there (as a ϖ ratio) and the
 *   parameter criterion flagged those giants. With the path, in-process on the default
 *   sky, wrongly flagged giants went from 25 to 14 and the precision at the last
 *   flagging from 0.709 to 0.757 (stage seed 42) and from 0.669 to 0.734 (seed 7); in
 *   the pipeline run (other stage seeds) giants 25 → 21, precision 70.9 → 72.3 %, and
 *   R(λ) then sits 2–4 % low over the XP range (was −2 … 0 %).
 *   A path from Teff as well (linear, or with ln Teff as the network's input) made the
 *   hot stars worse (50–118 wrongly flagged against 28): their light is not linear in
 *   either.
 * - The first joint stage, and the first half of each self-cleaning joint stage, fit
 *   each star's apparent scale ψ = ln ϖ + ½ m̄(Θ) in place of ln ϖ (apparent-scale.ts;
 *   the same loss in other coordinates). In ln ϖ the flux pins model brightness +
 *   2 ln ϖ, so a too-faint model is corrected only as fast as every star's ϖ can
 *   follow it; in ψ the parallax priors act on the model's brightness directly. On the
 *   default sky the first joint stage then brought the hot stars above 11,000 K from
 *   18–28 % too faint (as a ϖ ratio) to 1–7 % and the red clump from 8 % to 1 %.
 *   The second half of each self-cleaning joint stage stays in ln ϖ because ψ also lets
 *   the weakly determined NIR R(λ) run: with every joint stage in ψ, W1/W2's R ended
 *   13–26 % off. In-process, stage seeds 42 and 7, precision at the last flagging and
 *   the worst NIR R error: all in ln ϖ 0.678, 0.621 (5.2 %, 1.9 %); all joint stages in
 *   ψ 0.723, 0.695 (22 %, 26 %); this recipe 0.709, 0.669 (8.4 %, 5.6 %).
 * Together: R(λ) from 3–6 % low over the XP range and up to 20 % off in the NIR to
 * within ~3 % over the XP range and ~8 % in the NIR; self-cleaning precision from 32 %
 * to ~70 %. (The precisions above are those of the third flagging, before the third
 * retraining. The loop now ends on one more flagging, of the final model: 0.757 → 0.771
 * and 0.734 → 0.757 at seeds 42 and 7, 72.3 → 73.9 % in the pipeline run.)
 */
import { HQ_SELECTION } from './config.js';
import { DEFAULT_RECIPE, stage, type Recipe, type StarParamName } from './recipe.js';

/** The joint stages: log g held at its last fit, density-weighted model loss, apparent-scale coordinates (see above). */
const JOINT = {
  starParams: ['teff', 'feh', 'lnE', 'lnPlx'] as StarParamName[],
  weighting: 'label_density' as const,
  apparentScale: true,
};

const adam = (epochs: number) => ({
  algorithm: 'adam' as const,
  epochs,
  batchSize: 256,
  l2: 0,
  lrDrops: { factor: 0.1, at: [0.6, 0.85] },
});

export const QUICK_RECIPE: Recipe = {
  ...structuredClone(DEFAULT_RECIPE),
  model: { ...structuredClone(DEFAULT_RECIPE.model), hidden: [64, 64, 64], linearSkip: ['logg'] },
  highQuality: { ...HQ_SELECTION, teffErrorFraction: 0.04 },
  parallaxLikelihood: 'truncated',
  settleReddening: true,
  settleBrightness: stage('brightness_refit', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
  stages: [
    stage('model_hq', 'hq', 'model', { ...adam(120), lrModel: 3e-3 }),
    stage('stars_all', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
    stage('joint_all', 'all', 'both', { ...adam(240), lrModel: 3e-3, lrStars: 1e-2, ...JOINT }),
    stage('model_hq_anchor', 'hq', 'model', {
      ...adam(120),
      lrModel: 1e-3,
      weighting: 'label_density',
      parallaxFromGaia: true,
    }),
    stage('stars_all_anchor', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
  ],
  selfClean: {
    ...structuredClone(DEFAULT_RECIPE.selfClean),
    paramSigma: 4,
    fluxSigma: 4.5,
    maxIterations: 3,
    minChangedFraction: 0.05,
    stages: [
      stage('joint_clean_psi', 'non_outliers', 'both', { ...adam(90), lrModel: 1e-3, lrStars: 1e-2, ...JOINT }),
      stage('joint_clean', 'non_outliers', 'both', {
        ...adam(90),
        lrModel: 1e-3,
        lrStars: 1e-2,
        ...JOINT,
        apparentScale: false,
      }),
      stage('stars_refit', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
    ],
  },
};

export const RECIPES: Record<string, Recipe> = { paper: DEFAULT_RECIPE, quick: QUICK_RECIPE };
