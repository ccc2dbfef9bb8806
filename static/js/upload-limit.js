// 揭榜: a file too large for the server is refused here, before the form is sent — the server could
// only answer 413, and everything typed in the form would be lost. The file inputs carry their limits
// and messages (marketplace/forms.py: limit_upload):
//   <input type="file" data-max-bytes="…" data-max-total-bytes="…" data-too-large="…{name}…{size}…"
//          data-too-much="…{size}…">
// The 413 page's "back to the form" link (data-back) goes back in history where it can, which keeps
// what was typed in the form.
(function () {
  "use strict";
  var MB = 1024 * 1024;
  var LIMITED = 'input[type="file"][data-max-bytes]';

  function megabytes(bytes) {
    return (bytes / MB).toFixed(1);
  }

  function problem(input) {
    var each = Number(input.getAttribute("data-max-bytes"));
    var total = Number(input.getAttribute("data-max-total-bytes")) || Infinity;
    var files = Array.prototype.slice.call(input.files || []);
    var sum = 0;
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > each) {
        return input.getAttribute("data-too-large")
          .replace("{name}", files[i].name)
          .replace("{size}", megabytes(files[i].size));
      }
      sum += files[i].size;
    }
    return sum > total ? input.getAttribute("data-too-much").replace("{size}", megabytes(sum)) : null;
  }

  // Show or clear the message beside the field; true when the chosen files may be sent.
  function check(input) {
    var message = problem(input);
    var id = (input.id || input.name) + "-too-large";
    var note = document.getElementById(id);
    if (!message) {
      if (note) {
        note.remove();
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
      }
      return true;
    }
    if (!note) {
      note = document.createElement("div");
      note.id = id;
      note.className = "invalid-feedback d-block";
      note.setAttribute("role", "alert");
      note.setAttribute("data-testid", "upload-too-large");
      input.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    }
    note.textContent = message;
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    return false;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(LIMITED)) {
      check(event.target);
    }
  });

  // Capturing, so a refused form is stopped before any other submit handler (a confirmation) runs.
  document.addEventListener("submit", function (event) {
    var refused = null;
    event.target.querySelectorAll(LIMITED).forEach(function (input) {
      if (!check(input) && !refused) {
        refused = input;
      }
    });
    if (refused) {
      event.preventDefault();
      event.stopPropagation();
      refused.focus();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("a[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
