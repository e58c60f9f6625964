// The SPARQL editor of /query: CodeMirror 6 over the page's <textarea>, which stays the
// form field (the editor writes back into it on every change), so the form works the same
// with or without this script.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

function attach(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
        bracketMatching(), indentOnInput(), StreamLanguage.define(sparql), EditorView.lineWrapping,
        syntaxHighlighting(defaultHighlightStyle),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's accessible default)
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap,
          { key: "Mod-Enter", run: () => { textarea.form.requestSubmit(); return true; } }]),
        EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
        EditorView.contentAttributes.of({ "aria-label": label ? label.textContent : "SPARQL query" }),
      ],
    }),
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.hidden = true;
  return {
    view,
    set(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
  };
}

window.qfgraphSparqlEditor = { attach };
