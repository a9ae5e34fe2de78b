// Text to matrices for topic modeling: scikit-learn's TfidfVectorizer and the top words of a topic.
// Browser-safe: nothing here imports Node.

export { TfidfVectorizer, type TfidfOptions, type SavedTfidfVectorizer } from './vectorizer.js';
export { tokenize, TOKEN_PATTERN, SKLEARN_TOKEN_PATTERN, type TokenizeOptions } from './tokenize.js';
export { ENGLISH_STOP_WORDS } from './stop-words.js';
export { splitParagraphs, splitPassages } from './documents.js';
export { topWords, type Topic } from './top-words.js';
export { argsort } from './argsort.js';
