import { noGrad } from '../../autograd/grad_mode.js';
import { datasetClasses, datasetShape } from '../../run/datasets.js';
import { inputImage } from '../input_image.js';
import { toMnistInput } from '../../io/mnist_input.js';
import * as F from '../../nn/functional.js';
import { choice, int, parse, UsageError } from '../args.js';
import { trainedModel, trainedModelHelp, trainedModelOptions } from '../trained_model.js';

export const predictHelp = `usage: torchlit predict (--run DIR | --weights FILE --model NAME) IMAGE...

Classifies PNG or JPEG images: the class and the top probabilities for each.

How images are prepared: colour is reduced to gray (luma), the image is stretched to 28x28 by
area averaging, scaled to [0, 1] and inverted when its border is light (dark ink on paper),
because MNIST and Fashion-MNIST show light objects on black; then the model's normalisation.

options:
${trainedModelHelp}
  --invert WHEN         auto, yes or no (default auto: when the border is light)
  --top N               probabilities to show (default 3)
  --json                one JSON object per image instead of text
  -h, --help            this help`;

export function predict(argv: string[]): number {
  const p = parse(
    argv,
    { ...trainedModelOptions, invert: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (p.values.help) {
    console.log(predictHelp);
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('give one or more image files to classify');
  const invertArg = choice(p, 'invert', ['auto', 'yes', 'no'] as const) ?? 'auto';
  const top = int(p, 'top') ?? 3;
  const { cfg, model } = trainedModel(p);
  const classes = datasetClasses(cfg.dataset);
  if (!classes || datasetShape(cfg.dataset).channels !== 1)
    throw new UsageError(
      `predict: not supported: a model trained on ${cfg.dataset}; it classifies 28 x 28 grey images (mnist, fashion-mnist, kmnist, qmnist). Use torchlit eval for the others`,
    );
  const images = p.positionals.map((file) => inputImage(file, 'gray'));
  for (const [i, file] of p.positionals.entries()) {
    const { image, inverted } = toMnistInput(images[i], invertArg === 'auto' ? 'auto' : invertArg === 'yes');
    const x = cfg.normalize ? image.sub(cfg.normalize[0]).div(cfg.normalize[1]) : image;
    const probs = noGrad(() => F.softmax(model.forward(x.reshape(1, 1, 28, 28)), 1)).toArray();
    const ranked = probs
      .map((prob, c) => ({ class: c, name: classes[c], prob }))
      .sort((a, b) => b.prob - a.prob)
      .slice(0, Math.min(top, probs.length));
    if (p.values.json)
      console.log(JSON.stringify({ file, prediction: ranked[0].class, name: ranked[0].name, inverted, top: ranked }));
    else {
      const list = ranked.map((r) => `${r.name} ${(100 * r.prob).toFixed(2)}%`).join(', ');
      console.log(`${file}: ${ranked[0].name}  (top ${ranked.length}: ${list}${inverted ? '; inverted' : ''})`);
    }
  }
  return 0;
}
