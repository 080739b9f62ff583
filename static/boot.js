// Starts the WebAssembly game. If the module cannot be fetched or compiled (an old browser,
// a broken deploy, a network cut mid-download), say so on the page instead of staying blank.
import init from "./spin.js";

init().catch(() => {
  const app = document.getElementById("app");
  if (!app) return;
  const machine = document.createElement("section");
  machine.className = "machine";
  machine.setAttribute("aria-label", "Slot machine");
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const message = document.createElement("p");
  message.className = "fatal";
  message.textContent =
    "Spin could not start: the game module did not load. Check your connection and reload the page.";
  alert.append(message);
  machine.append(alert);
  app.replaceChildren(machine);
});
