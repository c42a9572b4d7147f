module.exports = { preset: '@graphon-pai/tooling/jest-preset' };
