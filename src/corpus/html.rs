//! HTML pages → the article body as plain text, and its title.
//!
//! Extraction is [`dom_smoothie`], a port of Mozilla's Readability.js (the
//! algorithm of Firefox's reader view): it scores the page's blocks by text
//! and link density and by their `class`/`id` names, keeps the article body,
//! and drops navigation, headers, footers, sidebars, cookie banners, share
//! buttons and "read more" boxes. It was chosen over the other readability
//! crates because it is maintained (frequent releases, MIT), follows the
//! reference algorithm closely, and pulls no network stack (`readability`
//! 0.3 is unmaintained and fetches pages with `reqwest`/openssl by default;
//! `llm_readability` builds on forks of html5ever; `readability-rust` is a
//! single release that depends on `clap` and `chrono`; `scraper` alone would
//! mean writing the scoring ourselves).
//!
//! The text is the extracted body with one blank line (`\n\n`) between
//! blocks (paragraphs, headings, quotes, lists) and one `\n` for `<br>` and
//! list items, so segmentation sees every paragraph boundary: nothing is
//! glued. Whitespace inside a block is collapsed as a browser shows it. The
//! output offsets (`start`, `end`) are character offsets into this text.
//! The title is Readability's: `og:title`, `<title>` without the site's
//! suffix, or the page's `<h1>`.
//!
//! Social embeds (`<blockquote class="twitter-tweet">`, Instagram, TikTok,
//! Facebook posts) are removed before extraction: their text is someone
//! else's post, not the outlet's, and a tweet's body read as prose would be
//! labelled like the article's own sentences. Scraped plain text, where the
//! embed has lost its markup, is left to segmentation's boilerplate rules.
//!
//! A page is parsed whole (a DOM needs the whole document), so an HTML file
//! costs memory in proportion to its size, unlike CSV and JSONL rows.

use dom_smoothie::{Config, Readability, TextMode};

/// Embedded posts of social networks, by the markup their embed codes write.
const SOCIAL_EMBEDS: &str = "blockquote.twitter-tweet, blockquote.twitter-video, \
    blockquote.instagram-media, blockquote.tiktok-embed, .fb-post, .fb-video";

/// An article read from an HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The title (empty when the page has none).
    pub title: String,
    /// The body as plain text, blocks separated by a blank line.
    pub text: String,
}

/// The article body and title of `html`, or `None` when the page holds no
/// article text (an empty page, a page of links only).
pub fn extract(html: &str) -> Option<HtmlArticle> {
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let page = dom_query::Document::from(html);
    page.select(SOCIAL_EMBEDS).remove();
    let article = Readability::with_document(page, None, Some(config))
        .ok()?
        .parse()
        .ok()?;
    let text = paragraphs(&article.text_content);
    if text.is_empty() || mostly_links(&article.content) {
        return None;
    }
    Some(HtmlArticle {
        title: collapse_spaces(&article.title),
        text,
    })
}

/// Whether at least half of the extracted body's letters are link text: what
/// Readability falls back to on a page with no article (a menu, an error
/// page), never an article.
fn mostly_links(content: &str) -> bool {
    let doc = dom_query::Document::from(content);
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    let all = letters(&doc.select("body").text());
    let links = letters(&doc.select("a").text());
    2 * links >= all
}

/// Trims every line, keeps single line breaks, and makes every run of blank
/// lines exactly one blank line.
fn paragraphs(formatted: &str) -> String {
    let mut out = String::with_capacity(formatted.len());
    let mut blank = false;
    for line in formatted.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(&collapse_spaces(line));
        blank = false;
    }
    out
}

/// Runs of whitespace (other than line breaks, already split) → one space.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        let a = extract(
            "<html><body><nav><a href='/'>Accueil</a> <a href='/monde'>Monde</a></nav>\
             <article><h1>Titre</h1><p>Premier paragraphe, assez long pour être retenu par \
             l'extraction du contenu principal de la page.</p><p>Deuxième   paragraphe,\n \
             lui aussi assez long pour compter dans le score du bloc principal.</p>\
             </article><footer>Mentions légales</footer></body></html>",
        )
        .unwrap();
        assert!(
            !a.text.contains("Accueil") && !a.text.contains("Mentions"),
            "{a:?}"
        );
        assert!(
            a.text
                .contains("principal de la page.\n\nDeuxième paragraphe, lui aussi"),
            "{a:?}"
        );
    }

    #[test]
    fn tweet_embeds_are_not_article_text() {
        let a = extract(
            "<html><body><article><p>Le ministre a réagi sur les réseaux sociaux dans la \
             soirée, quelques heures après la publication du rapport.</p>\
             <blockquote class=\"twitter-tweet\"><p>Ce rapport est une honte.</p>— Le Ministre \
             (@ministre) <a href='https://twitter.com/x/status/1'>3 mai 2021</a></blockquote>\
             <p>L'opposition demande désormais la publication de l'intégralité des annexes \
             du document.</p></article></body></html>",
        )
        .unwrap();
        assert!(
            !a.text.contains("honte") && !a.text.contains("@ministre"),
            "{a:?}"
        );
        assert!(a.text.contains("du rapport.\n\nL'opposition"), "{a:?}");
    }

    #[test]
    fn a_page_without_text_is_none() {
        assert_eq!(extract(""), None);
        assert_eq!(
            extract("<html><head><title>Vide</title></head><body></body></html>"),
            None
        );
        let menu =
            "<html><body><nav><a href='/'>Accueil</a> <a href='/a'>Monde</a></nav></body></html>";
        assert_eq!(extract(menu), None);
    }
}
