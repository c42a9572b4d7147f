module.exports = { preset: '@graphon-pai/tooling' };
