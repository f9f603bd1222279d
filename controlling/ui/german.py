"""German for what Streamlit and plotly write themselves, and a sidebar that gives a tablet its width.

No option of Streamlit 1.67 translates its own widget texts (toolbar tooltips, column menus, placeholders,
aria labels) or collapses the sidebar above a phone's width (initial_sidebar_state="auto" collapses at
768 px and below). A small script of our own, the same on every page, does both in the browser.
"""

from __future__ import annotations

import json

import streamlit as st

# Exact texts as Streamlit 1.67 and plotly write them (in texts, aria-label, title, placeholder, data-title).
GERMAN = {
    # tables: toolbar, search, column menu, summaries
    "Download as CSV": "Als CSV herunterladen",
    "Search": "Suchen",
    "Close Search": "Suche schließen",
    "Next Result": "Nächster Treffer",
    "Previous Result": "Vorheriger Treffer",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild schließen",
    "Enter fullscreen": "Vollbild",
    "Exit fullscreen": "Vollbild schließen",
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Autosize": "Breite anpassen",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Hide column": "Spalte ausblenden",
    "Show/hide columns": "Spalten ein- und ausblenden",
    "Copy column name": "Spaltennamen kopieren",
    "Dataframe column menu": "Spaltenmenü",
    "Add row": "Zeile hinzufügen",
    "Delete row(s)": "Zeile(n) löschen",
    "Clear selection": "Auswahl aufheben",
    "Select all": "Alle auswählen",
    "No data": "Keine Daten",
    "No content": "Kein Inhalt",
    "Select...": "Bitte wählen …",
    "Automatic": "Automatisch",
    "Localized": "Deutsch",
    "Plain": "Einfach",
    "Percent": "Prozent",
    "Scientific": "Wissenschaftlich",
    "Compact": "Kompakt",
    "Accounting": "Buchhaltung",
    "Calendar": "Kalender",
    "Distance": "Abstand",
    "Duration": "Dauer",
    "Empty": "leer",
    "Values": "Werte",
    "Average": "Mittelwert",
    "Sum": "Summe",
    "Count": "Anzahl",
    "Distinct": "Verschieden",
    "Range": "Spanne",
    # choices, text, numbers, dates, files
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "Choose or add an option": "Bitte wählen oder eingeben",
    "Choose or add options": "Bitte wählen oder eingeben",
    "No options to select": "Keine Auswahl möglich",
    "No options": "Keine Auswahl",
    "No results": "Keine Treffer",
    "Clear all": "Alle entfernen",
    "Clear value": "Eingabe leeren",
    "Clear date": "Datum leeren",
    "Clear dates": "Daten leeren",
    "Open": "Öffnen",
    "Selected values": "Ausgewählt",
    "Show password": "Eingabe zeigen",
    "Hide password": "Eingabe verbergen",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Choose date": "Datum wählen",
    "Choose date range": "Zeitraum wählen",
    "Add files": "Dateien hinzufügen",
    "Close": "Schließen",
    "Clear": "Leeren",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Sidebar": "Seitenleiste",
    # the app's state in the top bar
    "Running...": "Läuft …",
    "Stop": "Anhalten",
    "Rerun": "Neu ausführen",
    "Connecting": "Verbinde …",
    "Connection error": "Keine Verbindung zum Server",
    "Please wait...": "Bitte warten …",
    # plotly's mode bar
    "Download plot as a PNG": "Diagramm als PNG herunterladen",
    "Zoom": "Vergrößern",
    "Pan": "Verschieben",
    "Box Select": "Rechteck auswählen",
    "Lasso Select": "Lasso auswählen",
    "Zoom in": "Hineinzoomen",
    "Zoom out": "Herauszoomen",
    "Autoscale": "Automatisch skalieren",
    "Reset axes": "Achsen zurücksetzen",
    "Reset view": "Ansicht zurücksetzen",
    "Reset": "Zurücksetzen",
    "Toggle Spike Lines": "Hilfslinien ein/aus",
    "Show closest data on hover": "Nächsten Wert zeigen",
    "Compare data on hover": "Werte vergleichen",
}
NARROW_PX = 1000  # below this the sidebar starts collapsed: a tablet (820 px) needs the whole width

_SCRIPT = """<script>
(() => {
  if (window.__controllingGerman) return;
  window.__controllingGerman = true;
  const german = __GERMAN__;
  const attributes = ["aria-label", "title", "placeholder", "data-title"];
  const translate = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue.trim();
      if (text && Object.hasOwn(german, text)) node.nodeValue = node.nodeValue.replace(text, german[text]);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const element of [node, ...node.querySelectorAll("[aria-label],[title],[placeholder],[data-title]")]) {
      for (const name of attributes) {
        const value = element.getAttribute(name);
        if (value && Object.hasOwn(german, value)) element.setAttribute(name, german[value]);
      }
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translate(walker.currentNode);
  };
  translate(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes" || change.type === "characterData") translate(change.target);
      else change.addedNodes.forEach(translate);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: attributes});
  // Once per page load: below __NARROW__ px the sidebar starts collapsed; its toggle stays as it is.
  if (window.innerWidth < __NARROW__) {
    let tries = 600;  // up to 30 s: under load the sidebar can come late on a first visit
    const collapse = () => {
      const sidebar = document.querySelector('[data-testid="stSidebar"]');
      const button = sidebar && sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (sidebar && button && sidebar.getAttribute("data-collapsed") === "false") {
        button.click();
        // Streamlit remembers a click as the reader's choice; this one was ours, so it is forgotten.
        setTimeout(() => Object.keys(localStorage).filter((key) => key.startsWith("stSidebarCollapsed-"))
          .forEach((key) => localStorage.removeItem(key)), 300);
      } else if (tries-- > 0) setTimeout(collapse, 50);
    };
    collapse();
  }
})();
</script>"""

# The script's element takes no room on the page.
_CSS = """<style>
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
</style>"""


def german_browser() -> None:
    """Translate Streamlit's and plotly's own texts in the browser and collapse the sidebar on a tablet."""
    script = _SCRIPT.replace("__GERMAN__", json.dumps(GERMAN, ensure_ascii=False)).replace("__NARROW__", str(NARROW_PX))
    st.html(_CSS)
    st.html(script, unsafe_allow_javascript=True)
