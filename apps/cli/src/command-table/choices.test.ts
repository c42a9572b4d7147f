import * as nets from '@graphon-pai/nets';
import { ACTIVATIONS, LOSSES } from './choices';

describe('help-time choice lists', () => {
  it('equal the lists @graphon-pai/nets validates against', () => {
    expect([...ACTIVATIONS]).toEqual([...nets.ACTIVATIONS]);
    expect([...LOSSES]).toEqual([...nets.LOSSES]);
  });
});
