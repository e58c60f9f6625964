// Progressive enhancement of /paths: the held list filters as one types (the Search button
// still asks the server for more). Without this script the form works the same.
document.querySelectorAll("input[data-filter]").forEach(function (input) {
  var list = document.getElementById(input.dataset.filter);
  if (!list) return;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.querySelectorAll("label.option").forEach(function (label) {
      var text = label.textContent.toLowerCase();
      var box = label.querySelector("input");
      label.hidden = !(box.checked || words.every(function (w) { return text.indexOf(w) >= 0; }));
    });
  });
});
