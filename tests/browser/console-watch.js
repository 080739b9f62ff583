// Loaded by the test site before the game: records in sessionStorage every warning and error
// the page reports (console.warn and console.error, uncaught errors, unhandled rejections,
// resources that fail to load, fetches that fail, Content-Security-Policy violations), for
// the engines whose WebDriver cannot read the console (geckodriver, WebKitWebDriver).
// sessionStorage keeps what happened across a reload.
(() => {
  const key = "spin-test-console";
  const record = (level, message) => {
    const entries = JSON.parse(sessionStorage.getItem(key) || "[]");
    entries.push([level, String(message)]);
    sessionStorage.setItem(key, JSON.stringify(entries));
  };
  for (const level of ["warn", "error"]) {
    const original = console[level];
    console[level] = (...args) => {
      record(level, args.map(String).join(" "));
      original.apply(console, args);
    };
  }
  const fetch = window.fetch;
  window.fetch = (resource, ...rest) =>
    fetch(resource, ...rest).catch((error) => {
      record("error", `fetch ${resource.url || resource} failed: ${error}`);
      throw error;
    });
  addEventListener(
    "error",
    (event) => {
      const target = event.target;
      if (target && target !== window && (target.src || target.href)) {
        record("error", `failed to load ${target.src || target.href}`);
      } else {
        record("error", `${event.message} (${event.filename}:${event.lineno})`);
      }
    },
    true,
  );
  addEventListener("unhandledrejection", (event) => record("error", `unhandled rejection: ${event.reason}`));
  document.addEventListener("securitypolicyviolation", (event) =>
    record("error", `blocked by the CSP (${event.effectiveDirective}): ${event.blockedURI}`),
  );
})();
