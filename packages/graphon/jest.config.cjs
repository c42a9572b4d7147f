// Two workers: jest's default on a 2-core machine is one (cores − 1), which runs the files one after another.
module.exports = { preset: '@graphon-pai/tooling', maxWorkers: 2 };
