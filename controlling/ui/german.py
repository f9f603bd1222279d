"""German for what Streamlit and plotly write themselves, a sidebar that gives a tablet its width, and the
contrast and list structure that axe-core (WCAG 2.1 AA) asks of Streamlit's own elements.

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
    "Choose date and time": "Datum und Uhrzeit wählen",
    "Clear date and time": "Datum und Uhrzeit leeren",
    "Clear entry": "Eingabe leeren",
    "Clear time": "Uhrzeit leeren",
    "Next month": "Nächster Monat",
    "Previous month": "Vorheriger Monat",
    "Next page": "Nächste Seite",
    "Previous page": "Vorherige Seite",
    "Pagination": "Seiten",
    "Quick select a date range": "Zeitraum schnell wählen",
    "Scroll tabs left": "Reiter nach links",
    "Scroll tabs right": "Reiter nach rechts",
    "Button action menu": "Menü der Schaltfläche",
    "file upload": "Datei hochladen",
    "Upload": "Datei auswählen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    # the segments of a date field (Streamlit sets the field's locale to English whatever the browser's)
    "dd": "TT",
    "mm": "MM",
    "yyyy": "JJJJ",
    "⚠️ Please fill out this cell.": "⚠️ Bitte füllen Sie dieses Feld aus.",
    "Please fill out this cell.": "Bitte füllen Sie dieses Feld aus.",
    # what only a screen reader hears: the skip link, the sidebar's buttons, the navigation, headings, help
    "Skip to main content": "Zum Inhalt springen",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "App pages": "Seiten",
    "Navigate to home page": "Zur Startseite",
    "Link to heading": "Link zu dieser Überschrift",
    "Help": "Hilfe",
    "Main menu": "Hauptmenü",
    "Notifications": "Hinweise",
    "Markdown content": "Text",
    "Stop script": "Anhalten",
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
# Texts Streamlit composes from a fixed start and the app's own words ("Help for Jahr"): the start is translated.
GERMAN_STARTS = {"Help for ": "Hilfe zu ", "day, ": "Tag, ", "month, ": "Monat, ", "year, ": "Jahr, "}
GERMAN_ENDS = {"MB per file": " MB je Datei"}
NARROW_PX = 1000  # below this the sidebar starts collapsed: a tablet (820 px) needs the whole width

# No angle brackets inside the script, not even in a comment: st.html would drop the whole script.
_SCRIPT = """<script>
(() => {
  if (window.__controllingGerman) return;
  window.__controllingGerman = true;
  // Streamlit's page says lang="en": a screen reader would read the German with an English voice.
  document.documentElement.lang = "de";
  const german = __GERMAN__;
  const starts = Object.entries(__STARTS__);
  const ends = Object.entries(__ENDS__);
  const inGerman = (text) => {
    if (Object.hasOwn(german, text)) return german[text];
    for (const [english, german] of starts) if (text.startsWith(english)) return german + text.slice(english.length);
    for (const [english, german] of ends) if (text.endsWith(english)) return text.slice(0, -english.length) + german;
    return null;
  };
  const attributes = ["aria-label", "title", "placeholder", "data-title"];
  const translate = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue.trim();
      const translated = text && inGerman(text);
      if (translated) node.nodeValue = node.nodeValue.replace(text, translated);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const element of [node, ...node.querySelectorAll("[aria-label],[title],[placeholder],[data-title]")]) {
      for (const name of attributes) {
        const value = element.getAttribute(name);
        const translated = value && inGerman(value);
        if (translated) element.setAttribute(name, translated);
      }
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translate(walker.currentNode);
  };
  // The navigation is a list whose sections are div elements around the list items: no list to a screen reader
  // (axe: list, listitem). It stays what it is to one, a navigation landmark of links.
  const flattenNavigation = () => {
    for (const list of document.querySelectorAll('[data-testid="stSidebarNavItems"]:not([role])')) {
      list.setAttribute("role", "none");
      list.querySelectorAll("li").forEach((item) => item.setAttribute("role", "none"));
    }
  };
  // A link column's cell opens its address with window.open in a new tab; an address of this app (a path
  // like /kennzahl?kennzahl=BIL-05) opens in the same tab, as any other link of the app does.
  const openWindow = window.open.bind(window);
  window.open = (url, ...rest) => {
    if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) {
      window.location.assign(url);
      return null;
    }
    return openWindow(url, ...rest);
  };
  translate(document.body);
  flattenNavigation();
  new MutationObserver((changes) => {
    flattenNavigation();
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

# The script's element takes no room on the page. Streamlit fades captions and quotes with opacity 0,6 (#828180
# on white, 3,9 : 1); they get a grey of 6,6 : 1 instead (WCAG 2.1 AA asks 4,5 : 1 for text).
_CSS = """<style>
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
[data-testid="stCaptionContainer"], .stMarkdown blockquote { opacity: 1; color: #5c5b5a; }
[data-testid="stCaptionContainer"] *, .stMarkdown blockquote * { color: #5c5b5a; }
/* what the sidebar says that nobody may miss, repeated on the page where the sidebar starts collapsed */
@media (min-width: __NARROW__px) { [data-testid="stElementContainer"]:has(.lm-narrow-only) { display: none; } }
.lm-narrow-only { padding: 0.5rem 0.75rem; border-radius: 0.5rem; font-size: 0.95rem; }
.lm-narrow-only.lm-warning { background: #fff3cd; color: #5c4300; }
.lm-narrow-only.lm-info { background: #e8f0f8; color: #1f3a56; }
</style>"""


def german_browser() -> None:
    """Translate Streamlit's and plotly's own texts in the browser and collapse the sidebar on a tablet."""
    script = _SCRIPT.replace("__GERMAN__", json.dumps(GERMAN, ensure_ascii=False)).replace("__NARROW__", str(NARROW_PX))
    script = script.replace("__STARTS__", json.dumps(GERMAN_STARTS, ensure_ascii=False))
    script = script.replace("__ENDS__", json.dumps(GERMAN_ENDS, ensure_ascii=False))
    st.html(_CSS.replace("__NARROW__", str(NARROW_PX)))
    st.html(script, unsafe_allow_javascript=True)


def narrow_only(html: str, *, kind: str = "info") -> None:
    """A line on the page that only a screen below NARROW_PX shows, where the sidebar starts collapsed (a tablet):
    what the sidebar says that nobody may miss. `html` is trusted text of our own (kind: info or warning)."""
    st.html(f'<div class="lm-narrow-only lm-{kind}" role="note">{html}</div>')
