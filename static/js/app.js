// 揭榜: small behaviours without inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // <form data-confirm="…">: ask before submitting an action that cannot be undone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <select data-autosubmit>: filters apply as soon as they change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <select data-reveals="name">: of the elements [data-revealed-by="name"], only the one whose
  // data-value is the chosen option shows (the posting form's improvement plans of the chosen category).
  document.querySelectorAll("select[data-reveals]").forEach(function (select) {
    var name = select.getAttribute("data-reveals");
    select.addEventListener("change", function () {
      document.querySelectorAll('[data-revealed-by="' + name + '"]').forEach(function (element) {
        element.hidden = element.getAttribute("data-value") !== select.value;
      });
    });
  });

  // [data-poll="url"]: reload the page while a background job is running.
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var url = poll.getAttribute("data-poll");
    var tick = function () {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          var bar = document.querySelector("[data-progress-bar]");
          if (bar) {
            bar.style.width = job.percent + "%";
            bar.setAttribute("aria-valuenow", job.percent);
            bar.textContent = job.percent + "%";
          }
          if (job.finished) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 1000);
  }
})();
