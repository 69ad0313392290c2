//! Type inspection (is it an `Option`, a number, a list?) and printing
//! tokens the way a person writes them (`Vec<String>`, not `Vec < String >`).

use proc_macro2::{Delimiter, Group, Ident, Spacing, TokenStream, TokenTree};
use syn::{GenericArgument, PathArguments, PathSegment, Type};

/// What a type is, as far as its spelling tells.
#[derive(Clone, Copy)]
pub(crate) enum Class<'a> {
    /// `u8` … `usize`, `i8` … `isize`.
    Int,
    /// `f32`, `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `String`, `str`.
    Text,
    /// `Vec<T>`, `VecDeque<T>`, the sets, arrays and slices, with the
    /// element type when it is written.
    List(Option<&'a Type>),
    /// `HashMap<K, V>`, `BTreeMap<K, V>`.
    Map,
    /// Anything else: the compiler decides.
    Other,
}

/// The type without references, parentheses and invisible groups.
fn peel(mut ty: &Type) -> &Type {
    loop {
        ty = match ty {
            Type::Reference(r) => &r.elem,
            Type::Paren(p) => &p.elem,
            Type::Group(g) => &g.elem,
            _ => return ty,
        };
    }
}

/// The last segment of a plain path type (`Option` of `std::option::Option<T>`).
fn last_segment(ty: &Type) -> Option<&PathSegment> {
    match peel(ty) {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The first type argument of a path segment (`T` of `Option<T>`).
fn first_type_arg(segment: &PathSegment) -> Option<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

/// `T` when `ty` is `Option<T>` (by its last path segment).
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident == "Option" { first_type_arg(segment) } else { None }
}

/// The item type when `ty` is spelled as a list or a map of sections
/// (`Vec<T>`, `HashMap<String, T>`, `BTreeMap<String, T>`).
pub(crate) fn collection_item(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    match segment.ident.to_string().as_str() {
        "Vec" => first_type_arg(segment),
        "HashMap" | "BTreeMap" => match &segment.arguments {
            PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                })
                .nth(1),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `ty` is `Secret<…>` or `Option<Secret<…>>` (by last path segment).
pub(crate) fn is_secret(ty: &Type) -> bool {
    let ty = option_inner(ty).unwrap_or(ty);
    last_segment(ty).is_some_and(|s| s.ident == "Secret")
}

/// What the spelling of `ty` says it is.
pub(crate) fn classify(ty: &Type) -> Class<'_> {
    match peel(ty) {
        Type::Array(a) => return Class::List(Some(&a.elem)),
        Type::Slice(s) => return Class::List(Some(&s.elem)),
        _ => {}
    }
    let Some(segment) = last_segment(ty) else { return Class::Other };
    let name = segment.ident.to_string();
    match name.as_str() {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Class::Int,
        "f32" | "f64" => Class::Float,
        "bool" => Class::Bool,
        "String" | "str" => Class::Text,
        "Vec" | "VecDeque" | "LinkedList" | "HashSet" | "BTreeSet" | "BinaryHeap" => {
            Class::List(first_type_arg(segment))
        }
        "HashMap" | "BTreeMap" => Class::Map,
        // Smart pointers and secrets are checked as what they hold.
        "Box" | "Rc" | "Arc" | "Secret" => first_type_arg(segment).map_or(Class::Other, classify),
        _ => Class::Other,
    }
}

/// Whether the type is `String` or `str` itself (not a `Secret` or a box of
/// one): a string-literal default goes into it with `Into`.
pub(crate) fn is_text(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "String" || s.ident == "str")
}

/// `tokens` with every `Self` replaced by `ident` (field types are used in
/// free functions, where `Self` means nothing).
pub(crate) fn replace_self(tokens: TokenStream, ident: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(i) if i == "Self" => {
                let mut ident = ident.clone();
                ident.set_span(i.span());
                TokenTree::Ident(ident)
            }
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), replace_self(g.stream(), ident));
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            other => other,
        })
        .collect()
}

/// How to read `<` and `>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Always generic brackets (`Vec<String>`).
    Type,
    /// Comparisons, unless after `::` (`Vec::<u8>::new()`).
    Expr,
}

enum Atom {
    Word(String),
    Op(String),
    Open(char),
    Close(char),
}

/// Operators of more than one character, longest first.
const OPERATORS: &[&str] = &[
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=",
    "^=", "&=", "|=", "<<", ">>", "..",
];

fn flatten(tokens: TokenStream, out: &mut Vec<Atom>) {
    let mut iter = tokens.into_iter().peekable();
    let mut run = String::new();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Brace => ('{', '}'),
                    Delimiter::Bracket => ('[', ']'),
                    Delimiter::None => {
                        flatten(g.stream(), out);
                        continue;
                    }
                };
                out.push(Atom::Open(open));
                flatten(g.stream(), out);
                out.push(Atom::Close(close));
            }
            TokenTree::Ident(i) => out.push(Atom::Word(i.to_string())),
            TokenTree::Literal(l) => out.push(Atom::Word(l.to_string())),
            TokenTree::Punct(p) => {
                if p.as_char() == '\''
                    && p.spacing() == Spacing::Joint
                    && run.is_empty()
                    && let Some(TokenTree::Ident(i)) = iter.peek()
                {
                    out.push(Atom::Word(format!("'{i}")));
                    iter.next();
                    continue;
                }
                run.push(p.as_char());
                let joined = p.spacing() == Spacing::Joint && matches!(iter.peek(), Some(TokenTree::Punct(_)));
                if !joined {
                    split_operators(&std::mem::take(&mut run), out);
                }
            }
        }
    }
    if !run.is_empty() {
        split_operators(&run, out);
    }
}

/// Splits a run of joined punctuation into operators, longest match first.
fn split_operators(mut run: &str, out: &mut Vec<Atom>) {
    while !run.is_empty() {
        let len = OPERATORS.iter().find(|op| run.starts_with(**op)).map_or(1, |op| op.len());
        out.push(Atom::Op(run[..len].to_owned()));
        run = &run[len..];
    }
}

/// What was printed last, deciding whether a space comes next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Word,
    Open(char),
    Close(char),
    /// A prefix or joining operator: `&`, `-`, `::`, `.`, `!` of a macro.
    Tight,
    /// `,`, `;`, `:` or a binary operator: a space follows.
    Loose,
}

/// Prints tokens as a person writes them: `Vec<String>`,
/// `HashMap<String, u32>`, `range(min = 1, max = 500)`, `&'static str`.
pub(crate) fn pretty(tokens: TokenStream, mode: Mode) -> String {
    let mut atoms = Vec::new();
    flatten(tokens, &mut atoms);
    let mut printer = Printer { mode, out: String::new(), prev: Prev::Start, generics: 0, after_path_sep: false };
    for atom in atoms {
        printer.atom(atom);
    }
    printer.out
}

/// The state of [`pretty`]: the text so far and what was printed last.
struct Printer {
    mode: Mode,
    out: String,
    prev: Prev,
    /// Open `<` of generics.
    generics: usize,
    after_path_sep: bool,
}

impl Printer {
    fn space_if(&mut self, space: bool) {
        if space {
            self.out.push(' ');
        }
    }

    fn push(&mut self, text: &str, prev: Prev) {
        self.out.push_str(text);
        self.prev = prev;
    }

    fn atom(&mut self, atom: Atom) {
        let was_path_sep = std::mem::take(&mut self.after_path_sep);
        match atom {
            Atom::Word(word) => {
                let prev = self.prev;
                self.space_if(matches!(prev, Prev::Word | Prev::Close(_) | Prev::Loose) || prev == Prev::Open('{'));
                self.push(&word, Prev::Word);
            }
            Atom::Open(c) => {
                let space = match self.prev {
                    Prev::Loose => true,
                    Prev::Word | Prev::Close(_) => c == '{',
                    Prev::Open(o) => o == '{',
                    Prev::Start | Prev::Tight => false,
                };
                self.space_if(space);
                self.push(c.encode_utf8(&mut [0; 4]), Prev::Open(c));
            }
            Atom::Close(c) => {
                self.space_if(c == '}' && self.prev != Prev::Open('{') && self.prev != Prev::Start);
                self.push(c.encode_utf8(&mut [0; 4]), Prev::Close(c));
            }
            Atom::Op(op) => self.op(&op, was_path_sep),
        }
    }

    fn op(&mut self, op: &str, was_path_sep: bool) {
        let generic_open = op == "<" && (self.mode == Mode::Type || was_path_sep || self.prev == Prev::Start);
        let generic_close = op.chars().all(|c| c == '>') && (self.mode == Mode::Type || self.generics >= op.len());
        if generic_open {
            self.generics += 1;
            self.push("<", Prev::Tight);
        } else if generic_close {
            self.generics = self.generics.saturating_sub(op.len());
            self.push(op, Prev::Close('>'));
        } else {
            self.plain_op(op);
        }
    }

    fn plain_op(&mut self, op: &str) {
        let value_before = matches!(self.prev, Prev::Word | Prev::Close(_));
        let after_loose = self.prev == Prev::Loose || self.prev == Prev::Open('{');
        match op {
            "," | ";" | ":" => self.push(op, Prev::Loose),
            "::" | "." | ".." | "..=" | "#" | "$" | "'" => {
                self.space_if(after_loose);
                self.push(op, Prev::Tight);
                self.after_path_sep = op == "::";
            }
            "?" => self.push("?", Prev::Close('?')),
            "!" if self.prev == Prev::Word => self.push("!", Prev::Tight),
            "-" | "*" | "&" | "&&" | "!" if !value_before => {
                self.space_if(after_loose);
                self.push(op, Prev::Tight);
            }
            _ => {
                let prev = self.prev;
                self.space_if(!matches!(prev, Prev::Start | Prev::Open(_) | Prev::Tight) || prev == Prev::Open('{'));
                self.push(op, Prev::Loose);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;
    use syn::parse_quote;

    use super::*;

    fn ty(tokens: TokenStream) -> String {
        pretty(tokens, Mode::Type)
    }

    fn expr(tokens: TokenStream) -> String {
        pretty(tokens, Mode::Expr)
    }

    #[test]
    fn prints_types_without_token_spaces() {
        let cases = [
            (quote!(Vec<String>), "Vec<String>"),
            (quote!(Option<Secret<String>>), "Option<Secret<String>>"),
            (quote!(std::path::PathBuf), "std::path::PathBuf"),
            (quote!(::std::path::PathBuf), "::std::path::PathBuf"),
            (quote!(HashMap<String, u32>), "HashMap<String, u32>"),
            (quote!(&'static str), "&'static str"),
            (quote!([u8; 32]), "[u8; 32]"),
            (quote!(Box<dyn Fn(&str) -> u32 + Send>), "Box<dyn Fn(&str) -> u32 + Send>"),
            (quote!(fn(&T) -> Result<(), String>), "fn(&T) -> Result<(), String>"),
            (quote!(<T as Trait>::Assoc), "<T as Trait>::Assoc"),
            (quote!((u8, u16)), "(u8, u16)"),
        ];
        for (tokens, expected) in cases {
            assert_eq!(ty(tokens), expected);
        }
    }

    #[test]
    fn prints_expressions_and_rules() {
        let cases = [
            (quote!(range(min = 1, max = 500)), "range(min = 1, max = 500)"),
            (quote!(range(min = -5)), "range(min = -5)"),
            (quote!(each(zipcode)), "each(zipcode)"),
            (quote!(one_of("a", "b")), "one_of(\"a\", \"b\")"),
            (quote!(custom = path::to_fn), "custom = path::to_fn"),
            (quote!("mongodb://localhost:27017"), "\"mongodb://localhost:27017\""),
            (quote!(10), "10"),
            (quote!(-1.5), "-1.5"),
            (quote!(Duration::from_secs(30)), "Duration::from_secs(30)"),
            (quote!(vec!["a".to_owned(), "b".into()]), "vec![\"a\".to_owned(), \"b\".into()]"),
            (quote!(Vec::<u8>::new()), "Vec::<u8>::new()"),
            (quote!(1 << 10), "1 << 10"),
            (quote!(a < b && c > d), "a < b && c > d"),
            (quote!(60 * 60), "60 * 60"),
            (quote!(Point { x: 1, y: 2 }), "Point { x: 1, y: 2 }"),
            (quote!(Point {}), "Point {}"),
            (quote!(&*x), "&*x"),
            (quote!(!flag), "!flag"),
            (quote!(f(x)?), "f(x)?"),
        ];
        for (tokens, expected) in cases {
            assert_eq!(expr(tokens), expected);
        }
    }

    #[test]
    fn reads_joined_punctuation_as_separate_operators() {
        let tokens: TokenStream = "min=-5".parse().unwrap();
        assert_eq!(expr(tokens), "min = -5");
        let tokens: TokenStream = "Option<Vec<u8>>".parse().unwrap();
        assert_eq!(ty(tokens), "Option<Vec<u8>>");
    }

    fn class(ty: &Type) -> String {
        match classify(ty) {
            Class::Int => "int".to_owned(),
            Class::Float => "float".to_owned(),
            Class::Bool => "bool".to_owned(),
            Class::Text => "text".to_owned(),
            Class::List(Some(elem)) => format!("list of {}", pretty(quote!(#elem), Mode::Type)),
            Class::List(None) => "list".to_owned(),
            Class::Map => "map".to_owned(),
            Class::Other => "other".to_owned(),
        }
    }

    #[test]
    fn classifies_by_spelling() {
        let cases: [(Type, &str); 12] = [
            (parse_quote!(u16), "int"),
            (parse_quote!(isize), "int"),
            (parse_quote!(f64), "float"),
            (parse_quote!(bool), "bool"),
            (parse_quote!(&'static str), "text"),
            (parse_quote!(std::string::String), "text"),
            (parse_quote!(Vec<String>), "list of String"),
            (parse_quote!([u16; 3]), "list of u16"),
            (parse_quote!(BTreeMap<String, u32>), "map"),
            (parse_quote!(Secret<u32>), "int"),
            (parse_quote!(Url), "other"),
            (parse_quote!(Option<u32>), "other"),
        ];
        for (ty, expected) in cases {
            assert_eq!(class(&ty), expected, "{}", pretty(quote!(#ty), Mode::Type));
        }
    }

    #[test]
    fn finds_options_and_secrets() {
        let t: Type = parse_quote!(Option<Secret<String>>);
        assert!(is_secret(&t));
        assert!(option_inner(&t).is_some());
        let t: Type = parse_quote!(phoenix_config::Secret<String>);
        assert!(is_secret(&t));
        let t: Type = parse_quote!(std::option::Option<u32>);
        let inner = option_inner(&t).unwrap();
        assert_eq!(pretty(quote!(#inner), Mode::Type), "u32");
        let t: Type = parse_quote!(String);
        assert!(!is_secret(&t));
        assert!(option_inner(&t).is_none());
    }

    #[test]
    fn replaces_self_everywhere() {
        let ident: Ident = parse_quote!(Node);
        let out = replace_self(quote!(Option<Box<Self>>), &ident);
        assert_eq!(out.to_string(), quote!(Option<Box<Node>>).to_string());
    }
}
