import { GRAPHON_ESTIMATORS } from '@graphon-pai/graphon';
import * as nets from '@graphon-pai/nets';
import { ACTIVATIONS, ESTIMATORS, LOSSES } from './choices';

describe('help-time choice lists', () => {
  it('equal the lists the libraries validate against', () => {
    expect([...ACTIVATIONS]).toEqual([...nets.ACTIVATIONS]);
    expect([...LOSSES]).toEqual([...nets.LOSSES]);
    expect([...ESTIMATORS]).toEqual([...GRAPHON_ESTIMATORS]);
  });
});
