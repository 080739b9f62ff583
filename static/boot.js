// Starts the WebAssembly game. If the module cannot be fetched or compiled (an old browser,
// a broken deploy, a network cut mid-download), say so on the page instead of staying blank.
import init from "./spin.js";

// The page arrives complete (the first screen is prerendered), so let the browser show it
// before the game takes the main thread to hydrate: start once the first contentful paint
// is reported (or at once where there is nothing to wait for, at most 3 s later).
function firstPaint() {
  return new Promise((resolve) => {
    const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    const painted = () => performance.getEntriesByName("first-contentful-paint").length > 0;
    if (document.visibilityState !== "visible" || !types.includes("paint") || painted()) {
      resolve();
      return;
    }
    const observer = new PerformanceObserver(() => {
      if (painted()) resolve();
    });
    observer.observe({ type: "paint" });
    setTimeout(resolve, 3000);
  }).then(() => undefined);
}

firstPaint()
  .then(() => init())
  .catch(() => {
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
