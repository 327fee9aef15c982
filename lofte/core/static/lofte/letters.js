// Printing a wave's letters takes a while (about 20 a second): say so, with a bar that fills at the
// expected pace, until the PDF has arrived. The server sets the cookie "lofte-letters" to the token
// the link was given once the letters are written; the bar then fills and the message changes.
(function () {
  const COOKIE = "lofte-letters";

  function cookie() {
    const found = document.cookie.split("; ").find((c) => c.startsWith(COOKIE + "="));
    return found ? found.slice(COOKIE.length + 1) : "";
  }

  function start(link, event) {
    const status = document.getElementById(link.dataset.status);
    if (!status) return;
    event.preventDefault();
    const token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("token", token);
    const bar = status.querySelector("progress");
    const words = status.querySelector("span");
    const seconds = Math.max(1, Number(link.dataset.seconds) || 1);
    const began = Date.now();
    words.textContent = link.dataset.preparing;
    bar.value = 0;
    status.hidden = false;
    link.setAttribute("aria-disabled", "true");
    const timer = window.setInterval(() => {
      if (cookie() === token) {
        window.clearInterval(timer);
        document.cookie = COOKIE + "=; Max-Age=0; path=/";
        bar.value = bar.max;
        words.textContent = link.dataset.ready;
        link.removeAttribute("aria-disabled");
        return;
      }
      // At the expected pace, never full before the letters are there.
      bar.value = Math.min(0.95 * bar.max, bar.max * (Date.now() - began) / 1000 / seconds);
    }, 250);
    window.location.assign(url.toString());  // a download: the page stays
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-letters]");
    if (link && link.getAttribute("aria-disabled") !== "true") start(link, event);
    else if (link) event.preventDefault();
  });
})();
