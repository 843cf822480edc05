// Loaded with `node --import` into a lab process: on SIGUSR2 it lets a promise rejection and an
// exception escape every handler, as a bug in any module would.
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('injected rejection'));
  setTimeout(() => {
    throw new Error('injected exception');
  });
});
