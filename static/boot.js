// Loads the WebAssembly game.
import init from "./spin.js";
init();
