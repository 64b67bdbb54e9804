// EarlyStopping with the semantics of Keras 3's: scripted sequences of monitored
// values (patience, minDelta, mode, baseline), the best weights restored whether or
// not training stopped early, and its options refused when bad.

import { describe, expect, it } from 'vitest';

import {
  EarlyStopping,
  type EpochLogs,
  type FitSetting,
  Linear,
  Matrix,
  Model,
  MSELoss,
  Random,
  ReLU,
  Sequential,
  SGD,
  type StateDict,
} from '../../dist/index.js';
import { expectArgumentError } from '../helpers/errors.js';

/** Feeds `values` to an EarlyStopping as the monitored value of successive epochs; returns the epochs it ran. */
function script(options: ConstructorParameters<typeof EarlyStopping>[0], values: number[], monitor = 'loss') {
  const stopping = new EarlyStopping(options);
  let weights = 0;
  const model = {
    optimizer: { lr: 1 },
    stopTraining: false,
    stateDict: (): StateDict => ({ w: Float64Array.of(weights) }),
    loadStateDict: (state: StateDict) => {
      weights = state.w[0];
    },
  };
  const setting: FitSetting = {
    epochs: values.length,
    initialEpoch: 0,
    validation: false,
    logNames: ['loss', monitor],
  };
  stopping.trainBegin(model, setting, false);
  let ran = 0;
  for (; ran < values.length && !model.stopTraining; ran++) {
    weights = ran;
    stopping.epochEnd(ran, { loss: values[ran], [monitor]: values[ran] } as unknown as EpochLogs);
  }
  stopping.trainEnd();
  return { stopping, ran, weights };
}

describe('EarlyStopping, as Keras stops', () => {
  it('stops once `patience` epochs pass without improvement, after the first epoch', () => {
    const { stopping, ran } = script({ patience: 2 }, [5, 4, 4.5, 4.2, 3.9, 3]);
    expect(ran).toBe(4);
    expect([stopping.stoppedEpoch, stopping.bestEpoch, stopping.best, stopping.wait]).toEqual([3, 1, 4, 2]);
    expect(script({ patience: 0 }, [5, 6, 1]).ran).toBe(2);
    expect(script({ patience: 0 }, [5, 4, 3]).stopping.stoppedEpoch).toBeNull();
  });

  it('counts only improvements by more than minDelta', () => {
    expect(script({ patience: 1, minDelta: 0.5 }, [5, 4.6, 4, 3]).stopping.stoppedEpoch).toBe(1);
    expect(script({ patience: 1, minDelta: 0.3 }, [5, 4.6, 4, 3]).stopping.stoppedEpoch).toBeNull();
  });

  it('takes max mode from names where larger is better, or from the option', () => {
    const rising = [0.5, 0.6, 0.55, 0.7];
    expect(script({ monitor: 'valAccuracy' }, rising, 'valAccuracy').stopping.stoppedEpoch).toBe(2);
    expect(script({ monitor: 'r2' }, rising, 'r2').stopping.resolvedMode).toBe('max');
    expect(script({ monitor: 'valMae' }, rising, 'valMae').stopping.stoppedEpoch).toBe(1);
    expect(script({ mode: 'max' }, rising).stopping.stoppedEpoch).toBe(2);
  });

  it('resets the wait only for values that also beat the baseline', () => {
    const { stopping, ran } = script({ patience: 2, baseline: 3 }, [5, 4, 3.5, 2.9, 3.0, 3.1, 2.0]);
    expect(ran).toBe(6);
    expect([stopping.stoppedEpoch, stopping.best]).toEqual([5, 2.9]);
    // Improvements that miss the baseline do not reset the wait: it runs on from the first epoch.
    expect(script({ patience: 2, baseline: 1 }, [5, 4, 4.5]).stopping.stoppedEpoch).toBe(2);
    expect(script({ patience: 2 }, [5, 4, 4.5]).stopping.stoppedEpoch).toBeNull();
  });

  it('restores the best epoch’s weights when training ends, stopped early or not', () => {
    expect(script({ patience: 1, restoreBestWeights: true }, [5, 3, 4, 4]).weights).toBe(1);
    expect(script({ patience: 9, restoreBestWeights: true }, [5, 3, 4, 4]).weights).toBe(1);
    expect(script({ patience: 9 }, [5, 3, 4, 4]).weights).toBe(3);
  });

  it('starts afresh with each fit', () => {
    const { stopping } = script({ patience: 0 }, [5, 6]);
    const model = { optimizer: { lr: 1 }, stopTraining: false, stateDict: () => ({}), loadStateDict: () => {} };
    stopping.trainBegin(model, { epochs: 1, initialEpoch: 0, validation: true, logNames: ['loss', 'valLoss'] }, false);
    expect([stopping.stoppedEpoch, stopping.best, stopping.wait, model.stopTraining]).toEqual([null, null, 0, false]);
  });
});

describe('EarlyStopping in fit', () => {
  const random = new Random(9);
  const x = new Matrix(80, 3, random.fillNormal(new Float64Array(240)));
  const y = new Matrix(
    80,
    1,
    Float64Array.from({ length: 80 }, (_, i) => Math.sin(x.data[3 * i]) + random.normal()),
  );

  function model(): Model {
    const network = new Sequential(new Linear(3, 32, { seed: 1 }), new ReLU(), new Linear(32, 1, { seed: 2 }));
    return new Model(network, { loss: new MSELoss(), optimizer: new SGD(network.parameters(), { lr: 0.05 }) });
  }

  it('watches valLoss with validation data, and ends with the weights of its best epoch', async () => {
    for (const background of [false, true]) {
      const m = model();
      const stopping = new EarlyStopping({ patience: 100, restoreBestWeights: true });
      const seen: StateDict[] = [];
      const history = await m.fit(x, y, {
        epochs: 12,
        batchSize: 8,
        validationSplit: 0.25,
        background,
        callbacks: [stopping, { onEpochEnd: () => void seen.push(m.stateDict()) }],
      });
      const valLoss = history.history.valLoss;
      const best = valLoss.indexOf(Math.min(...valLoss));
      expect([stopping.bestEpoch, stopping.best, stopping.stoppedEpoch]).toEqual([best, valLoss[best], null]);
      if (!background) expect(m.stateDict()).toEqual(seen[best]);
      expect(m.evaluate(x.rowRange(60, 80), y.rowRange(60, 80)).loss).toBe(valLoss[best]);
    }
  });

  it('describes itself, and refuses bad options', () => {
    expect(new EarlyStopping().toConfig()).toEqual({
      type: 'EarlyStopping',
      mode: 'auto',
      patience: 0,
      minDelta: 0,
      baseline: null,
      restoreBestWeights: false,
    });
    expect(new EarlyStopping({ monitor: 'valMae' }).toConfig()).toMatchObject({ monitor: 'valMae' });
    const cases: [object, typeof TypeError | typeof RangeError, string, string][] = [
      [{ patience: -1 }, RangeError, 'patience', '-1'],
      [{ patience: 1.5 }, RangeError, 'patience', '1.5'],
      [{ minDelta: -0.1 }, RangeError, 'minDelta', '-0.1'],
      [{ mode: 'lower' }, RangeError, 'mode', '"lower"'],
      [{ monitor: 5 }, TypeError, 'monitor', '5'],
      [{ baseline: Number.NaN }, RangeError, 'baseline', 'NaN'],
      [{ restoreBestWeights: 1 }, TypeError, 'restoreBestWeights', '1'],
    ];
    for (const [options, type, name, received] of cases) {
      expectArgumentError(() => new EarlyStopping(options as never), { type, name, received });
    }
    expectArgumentError(() => new EarlyStopping(null as never), { type: TypeError, name: 'options', received: 'null' });
  });
});
