//! PostgreSQL's printed expressions made fit to be run again. The server prints
//! (`pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`) a text that,
//! parsed again, is almost always printed the same; one common form is not:
//!
//! ```text
//! size IN ('s', 'm')                       -- a varchar column, as written
//! ((size)::text = ANY ((ARRAY['s'::character varying, 'm'::character varying])::text[]))
//!                                          -- as printed
//! ((size)::text = ANY (ARRAY[('s'::character varying)::text, ('m'::character varying)::text]))
//!                                          -- as printed once the printed text is run
//! ```
//!
//! (the parser pushes a cast of an `ARRAY[…]` into its elements). Every CHECK of
//! a non-native SQLAlchemy `Enum` and every hand-written `IN` list on a `varchar`
//! column has it. Written back as `(size) IN ('s'::character varying, …)`, the
//! server prints exactly the first form again, so the created object describes
//! equal to a fresh load of the schema it came from.

use std::borrow::Cow;

/// `text` with every `(X)::text = ANY ((ARRAY['a'::character varying, …])::text[])`
/// written as `(X) IN ('a'::character varying, …)` (and `<> ALL` as `NOT IN`).
pub(super) fn reparseable(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = next_list(text, from) {
        out.push_str(&text[done..found.start]);
        out.push_str(&format!(
            "{} {} ({})",
            &text[found.start..found.operand_end],
            if found.negated { "NOT IN" } else { "IN" },
            found.items
        ));
        done = found.end;
        from = found.end;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// One printed list comparison: `text[start..end]`, whose operand (`(X)` or a
/// name) is `text[start..operand_end]`.
struct ListComparison<'a> {
    start: usize,
    operand_end: usize,
    end: usize,
    negated: bool,
    items: &'a str,
}

fn next_list(text: &str, mut from: usize) -> Option<ListComparison<'_>> {
    // (operator, negated); each in the plain form (`((ARRAY[…])::text[])`) and the
    // pretty one of view definitions (`(ARRAY[…]::text[])`).
    const OPERATORS: [(&str, bool); 2] = [("::text = ANY (", false), ("::text <> ALL (", true)];
    const FORMS: [(&str, &str); 2] = [("(ARRAY[", "])::text[])"), ("ARRAY[", "]::text[])")];
    loop {
        let (at, operator, negated) = OPERATORS
            .iter()
            .filter_map(|(m, neg)| text[from..].find(m).map(|i| (from + i, *m, *neg)))
            .min_by_key(|(at, _, _)| *at)?;
        from = at + 1;
        let after = at + operator.len();
        let Some((open, close)) = FORMS
            .iter()
            .find(|(open, _)| text[after..].starts_with(open))
        else {
            continue;
        };
        let Some(start) = operand_start(text, at) else {
            continue;
        };
        let items_start = after + open.len();
        let Some(items_end) = closing_bracket(text, items_start) else {
            continue;
        };
        if !text[items_end..].starts_with(close) {
            continue;
        }
        let items = &text[items_start..items_end];
        if !all_varchar_literals(items) {
            continue;
        }
        return Some(ListComparison {
            start,
            operand_end: at,
            end: items_end + close.len(),
            negated,
            items,
        });
    }
}

/// Where the operand that ends at `end` starts: a parenthesised expression, or
/// a (qualified, maybe quoted) name.
fn operand_start(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if end > 0 && bytes[end - 1] == b')' {
        return opening_paren(text, end - 1);
    }
    let mut i = end;
    while i > 0 {
        match bytes[i - 1] {
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.' || c >= 0x80 => {
                i -= 1
            }
            b'"' => {
                // Back to the quote that opens this name (a doubled quote is text).
                let mut j = i - 1;
                loop {
                    j = bytes[..j].iter().rposition(|&b| b == b'"')?;
                    if j > 0 && bytes[j - 1] == b'"' {
                        j -= 1;
                        continue;
                    }
                    break;
                }
                i = j;
            }
            _ => break,
        }
    }
    (i < end).then_some(i)
}

/// The `(` that the `)` at `close` ends (string literals and quoted names
/// skipped), scanning back.
fn opening_paren(text: &str, close: usize) -> Option<usize> {
    // Scanning backwards through quotes is ambiguous; scan forwards instead and
    // remember the stack of open parentheses.
    let mut stack = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < close {
        match bytes[i] {
            b'\'' | b'"' => i = skip_quoted(bytes, i)?,
            b'(' => stack.push(i),
            b')' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

/// The `]` closing the bracket opened just before `start`.
fn closing_bracket(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => i = skip_quoted(bytes, i)?,
            b'[' => depth += 1,
            b']' if depth == 0 => return Some(i),
            b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the quoted text opening at `open`
/// (a doubled quote is part of the text).
fn skip_quoted(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether `items` is `'a'::character varying, 'b'::character varying, …`.
fn all_varchar_literals(items: &str) -> bool {
    let bytes = items.as_bytes();
    let mut i = 0;
    loop {
        if bytes.get(i) != Some(&b'\'') {
            return false;
        }
        let Some(close) = skip_quoted(bytes, i) else {
            return false;
        };
        let rest = &items[close + 1..];
        let Some(rest) = rest.strip_prefix("::character varying") else {
            return false;
        };
        if rest.is_empty() {
            return true;
        }
        let Some(next) = rest.strip_prefix(", ") else {
            return false;
        };
        i = items.len() - next.len();
    }
}

#[cfg(test)]
mod tests {
    use super::reparseable;

    #[test]
    fn a_printed_in_list_on_varchar_is_written_as_in() {
        assert_eq!(
            reparseable(
                "(((size)::text = ANY ((ARRAY['s'::character varying, 'm'::character varying])::text[])))"
            ),
            "(((size) IN ('s'::character varying, 'm'::character varying)))"
        );
        assert_eq!(
            reparseable(
                "CREATE INDEX i ON public.t USING btree (a) WHERE ((\"Kind\")::text <> ALL ((ARRAY['it''s'::character varying])::text[]))"
            ),
            "CREATE INDEX i ON public.t USING btree (a) WHERE ((\"Kind\") NOT IN ('it''s'::character varying))"
        );
    }

    #[test]
    fn the_pretty_form_of_view_definitions() {
        assert_eq!(
            reparseable(
                "SELECT shirt.id FROM shirt WHERE (shirt.\"Co\"\"lour\"::text = ANY (ARRAY['red'::character varying, 'blue'::character varying]::text[])) AND x.y::text <> ALL (ARRAY['z'::character varying]::text[]);"
            ),
            "SELECT shirt.id FROM shirt WHERE (shirt.\"Co\"\"lour\" IN ('red'::character varying, 'blue'::character varying)) AND x.y NOT IN ('z'::character varying);"
        );
    }

    #[test]
    fn two_lists_and_nested_operands() {
        assert_eq!(
            reparseable(
                "((lower((a)::text))::text = ANY ((ARRAY['x'::character varying])::text[])) AND ((b)::text = ANY ((ARRAY['y'::character varying])::text[]))"
            ),
            "((lower((a)::text)) IN ('x'::character varying)) AND ((b) IN ('y'::character varying))"
        );
    }

    #[test]
    fn other_texts_are_left_alone() {
        for text in [
            "(price > (0)::numeric)",
            "(n = ANY (ARRAY[1, 2]))",
            "((size)::text = ANY (ARRAY[('s'::character varying)::text]))",
            "((size)::text = ANY ((ARRAY['s'::character varying, (x)::character varying])::text[]))",
            "('(' = ANY ((ARRAY['a'::character varying])::text[]))",
        ] {
            assert_eq!(reparseable(text), text);
        }
    }
}
