(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("conversation-data").textContent);
  var el = function (id) { return document.getElementById(id); };
  var heading = el("walk-heading"), says = el("walk-says"), choices = el("walk-choices");
  var feedback = el("walk-feedback"), ending = el("walk-ending"), trail = el("walk-trail");
  var score = el("walk-score");
  var trust = 0, understanding = 0;
  function make(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function sign(n) { return (n > 0 ? "+" : "") + n; }
  function showScore() {
    score.textContent = "Trust " + sign(trust) + ", shared understanding " + sign(understanding);
  }
  function mark(id) {
    Array.prototype.forEach.call(document.querySelectorAll(".map .node"), function (g) {
      g.classList.toggle("current", g.getAttribute("data-node") === id);
    });
  }
  function show(id, focus) {
    var node = data.nodes[id];
    mark(id);
    says.textContent = node.says;
    choices.textContent = "";
    feedback.hidden = true; feedback.textContent = ""; feedback.className = "feedback";
    ending.hidden = true; ending.textContent = ""; ending.className = "ending";
    choices.setAttribute("data-node", id);
    node.choices.forEach(function (choice, index) {
      var button = make("button", choice.reply);
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("data-index", String(index));
      button.addEventListener("click", function () { choose(id, index, button); });
      choices.appendChild(button);
    });
    if (node.ending) {
      ending.hidden = false;
      ending.className = "ending k-" + node.ending.kind;
      ending.appendChild(make("p", data.labels.ending[node.ending.kind], "muted"));
      ending.appendChild(make("h4", node.ending.title));
      ending.appendChild(make("p", node.ending.summary));
      ending.setAttribute("data-ending", node.ending.kind);
    }
    if (focus) { heading.focus(); }
  }
  function choose(id, index, button) {
    var choice = data.nodes[id].choices[index];
    Array.prototype.forEach.call(choices.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
    button.setAttribute("aria-pressed", "true");
    trust += choice.trust; understanding += choice.understanding; showScore();
    var item = make("li", "“" + choice.reply + "” (" + data.labels.quality[choice.quality] + ")");
    trail.appendChild(item);
    feedback.hidden = false;
    feedback.className = "feedback q-" + choice.quality;
    var label = data.labels.quality[choice.quality];
    feedback.appendChild(make("p", label, "pill q-" + choice.quality));
    feedback.appendChild(make("p", choice.feedback));
    feedback.appendChild(make("p", "Trust " + sign(choice.trust) + ", understanding " +
      sign(choice.understanding), "muted small"));
    var next = make("button", "Continue", "next");
    next.type = "button";
    next.addEventListener("click", function () { show(choice.next, true); });
    feedback.appendChild(next);
    next.focus();
  }
  el("walk-restart").addEventListener("click", function () {
    trust = 0; understanding = 0; trail.textContent = ""; showScore(); show(data.start, true);
  });
  showScore();
  show(data.start, false);
}());
