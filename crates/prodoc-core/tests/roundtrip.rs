//! Generated documents are strictly valid and survive writing and strict reading unchanged.

use prodoc_core::arbitrary::{self, DocConfig};
use prodoc_core::{json, validate, ReadOptions};
use proptest::prelude::*;

mod support;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_documents_are_valid_and_round_trip(doc in arbitrary::doc(DocConfig::default())) {
        let diagnostics = validate(&doc);
        prop_assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let compact = json::to_string(&doc);
        let back = json::from_str(&compact);
        prop_assert_eq!(back.as_ref(), Ok(&doc));
        let pretty = json::to_string_pretty(&doc);
        prop_assert_eq!(support::minify(&pretty), compact);
        let from_pretty = json::from_str(&pretty);
        prop_assert_eq!(from_pretty.as_ref(), Ok(&doc));
        let body = json::to_body_string(&doc);
        let read = json::read_str(&body, &ReadOptions::strict()).map(|r| (r.shape, r.doc));
        prop_assert_eq!(read, Ok((prodoc_core::InputShape::BodyString, doc)));
    }
}
