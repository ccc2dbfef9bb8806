// 学分审核: a "select all" checkbox ticks every record checkbox that belongs to the same form.
(function () {
  "use strict";
  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    var form = all.getAttribute("data-check-all");
    all.addEventListener("change", function () {
      document.querySelectorAll('input[type="checkbox"][name="records"][form="' + form + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
