// Loaded by the test site before the game: counts, in `window.spinAudio`, the audio contexts
// the page makes (through either constructor name) and the oscillators it starts, so a test
// can check that none exists before the player turns sound on, and that a spin then plays.
// The counts start again at each page load.
(() => {
  const counts = { contexts: 0, oscillators: 0 };
  window.spinAudio = counts;
  for (const name of ["AudioContext", "webkitAudioContext"]) {
    const Original = window[name];
    if (typeof Original !== "function") continue;
    window[name] = class extends Original {
      constructor(...args) {
        super(...args);
        counts.contexts += 1;
      }
    };
  }
  const Base = window.BaseAudioContext || window.AudioContext;
  const create = Base && Base.prototype.createOscillator;
  if (create) {
    Base.prototype.createOscillator = function (...args) {
      counts.oscillators += 1;
      return create.apply(this, args);
    };
  }
})();
