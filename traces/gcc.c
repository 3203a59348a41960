/* A medium C file for the gcc trace: a tokenizer, a hash map, a binary heap and a small
 * expression evaluator, enough code for cc1's optimizers to allocate and free a lot. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum token_kind { TOK_END, TOK_NUMBER, TOK_IDENT, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH,
                  TOK_LPAREN, TOK_RPAREN, TOK_ASSIGN, TOK_SEMI, TOK_ERROR };

struct token {
    enum token_kind kind;
    const char *start;
    size_t length;
    double number;
};

struct lexer {
    const char *cursor;
    int line;
};

static int is_ident_start(int c) { return isalpha(c) || c == '_'; }
static int is_ident_part(int c) { return isalnum(c) || c == '_'; }

static struct token next_token(struct lexer *lx) {
    while (isspace((unsigned char) *lx->cursor)) {
        if (*lx->cursor == '\n') lx->line++;
        lx->cursor++;
    }
    struct token t = { TOK_END, lx->cursor, 0, 0.0 };
    int c = (unsigned char) *lx->cursor;
    if (c == 0) return t;
    if (isdigit(c) || c == '.') {
        char *end;
        t.kind = TOK_NUMBER;
        t.number = strtod(lx->cursor, &end);
        t.length = (size_t) (end - lx->cursor);
        lx->cursor = end;
        return t;
    }
    if (is_ident_start(c)) {
        const char *p = lx->cursor;
        while (is_ident_part((unsigned char) *p)) p++;
        t.kind = TOK_IDENT;
        t.length = (size_t) (p - lx->cursor);
        lx->cursor = p;
        return t;
    }
    lx->cursor++;
    t.length = 1;
    switch (c) {
    case '+': t.kind = TOK_PLUS; break;
    case '-': t.kind = TOK_MINUS; break;
    case '*': t.kind = TOK_STAR; break;
    case '/': t.kind = TOK_SLASH; break;
    case '(': t.kind = TOK_LPAREN; break;
    case ')': t.kind = TOK_RPAREN; break;
    case '=': t.kind = TOK_ASSIGN; break;
    case ';': t.kind = TOK_SEMI; break;
    default: t.kind = TOK_ERROR; break;
    }
    return t;
}

struct entry {
    char *key;
    double value;
    struct entry *next;
};

struct map {
    struct entry **buckets;
    size_t bucket_count;
    size_t size;
};

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char) s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void map_init(struct map *m, size_t buckets) {
    m->buckets = calloc(buckets, sizeof *m->buckets);
    m->bucket_count = buckets;
    m->size = 0;
}

static void map_grow(struct map *m) {
    size_t count = m->bucket_count * 2;
    struct entry **buckets = calloc(count, sizeof *buckets);
    for (size_t i = 0; i < m->bucket_count; i++) {
        struct entry *e = m->buckets[i];
        while (e) {
            struct entry *next = e->next;
            size_t b = hash_bytes(e->key, strlen(e->key)) & (count - 1);
            e->next = buckets[b];
            buckets[b] = e;
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = buckets;
    m->bucket_count = count;
}

static struct entry *map_find(struct map *m, const char *key, size_t n, int create) {
    size_t b = hash_bytes(key, n) & (m->bucket_count - 1);
    for (struct entry *e = m->buckets[b]; e; e = e->next) {
        if (strlen(e->key) == n && memcmp(e->key, key, n) == 0) return e;
    }
    if (!create) return NULL;
    if (m->size * 4 >= m->bucket_count * 3) {
        map_grow(m);
        b = hash_bytes(key, n) & (m->bucket_count - 1);
    }
    struct entry *e = malloc(sizeof *e);
    e->key = malloc(n + 1);
    memcpy(e->key, key, n);
    e->key[n] = 0;
    e->value = 0;
    e->next = m->buckets[b];
    m->buckets[b] = e;
    m->size++;
    return e;
}

static void map_free(struct map *m) {
    for (size_t i = 0; i < m->bucket_count; i++) {
        struct entry *e = m->buckets[i];
        while (e) {
            struct entry *next = e->next;
            free(e->key);
            free(e);
            e = next;
        }
    }
    free(m->buckets);
}

struct heap {
    double *items;
    size_t size;
    size_t capacity;
};

static void heap_push(struct heap *h, double v) {
    if (h->size == h->capacity) {
        h->capacity = h->capacity ? h->capacity * 2 : 16;
        h->items = realloc(h->items, h->capacity * sizeof *h->items);
    }
    size_t i = h->size++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->items[parent] <= v) break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = v;
}

static double heap_pop(struct heap *h) {
    double top = h->items[0];
    double last = h->items[--h->size];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->size) break;
        if (child + 1 < h->size && h->items[child + 1] < h->items[child]) child++;
        if (last <= h->items[child]) break;
        h->items[i] = h->items[child];
        i = child;
    }
    if (h->size) h->items[i] = last;
    return top;
}

struct parser {
    struct lexer lx;
    struct token current;
    struct map *vars;
    int errors;
};

static void advance(struct parser *p) { p->current = next_token(&p->lx); }

static double parse_expr(struct parser *p);

static double parse_primary(struct parser *p) {
    struct token t = p->current;
    switch (t.kind) {
    case TOK_NUMBER:
        advance(p);
        return t.number;
    case TOK_IDENT: {
        advance(p);
        struct entry *e = map_find(p->vars, t.start, t.length, 0);
        if (!e) {
            fprintf(stderr, "line %d: unknown variable %.*s\n", p->lx.line, (int) t.length, t.start);
            p->errors++;
            return 0;
        }
        return e->value;
    }
    case TOK_MINUS:
        advance(p);
        return -parse_primary(p);
    case TOK_LPAREN: {
        advance(p);
        double v = parse_expr(p);
        if (p->current.kind != TOK_RPAREN) {
            fprintf(stderr, "line %d: expected )\n", p->lx.line);
            p->errors++;
        } else {
            advance(p);
        }
        return v;
    }
    default:
        fprintf(stderr, "line %d: unexpected token\n", p->lx.line);
        p->errors++;
        advance(p);
        return 0;
    }
}

static double parse_term(struct parser *p) {
    double v = parse_primary(p);
    while (p->current.kind == TOK_STAR || p->current.kind == TOK_SLASH) {
        enum token_kind op = p->current.kind;
        advance(p);
        double r = parse_primary(p);
        v = op == TOK_STAR ? v * r : (r != 0 ? v / r : 0);
    }
    return v;
}

static double parse_expr(struct parser *p) {
    double v = parse_term(p);
    while (p->current.kind == TOK_PLUS || p->current.kind == TOK_MINUS) {
        enum token_kind op = p->current.kind;
        advance(p);
        double r = parse_term(p);
        v = op == TOK_PLUS ? v + r : v - r;
    }
    return v;
}

static int run_program(const char *source, struct map *vars, struct heap *results) {
    struct parser p = { { source, 1 }, { TOK_END, NULL, 0, 0 }, vars, 0 };
    advance(&p);
    while (p.current.kind != TOK_END) {
        if (p.current.kind == TOK_IDENT) {
            struct token name = p.current;
            struct lexer saved = p.lx;
            advance(&p);
            if (p.current.kind == TOK_ASSIGN) {
                advance(&p);
                double v = parse_expr(&p);
                map_find(vars, name.start, name.length, 1)->value = v;
            } else {
                p.lx = saved;
                p.current = name;
                heap_push(results, parse_expr(&p));
            }
        } else {
            heap_push(results, parse_expr(&p));
        }
        if (p.current.kind == TOK_SEMI) advance(&p);
    }
    return p.errors;
}

static char *generate_program(unsigned seed, int statements) {
    size_t capacity = 256, length = 0;
    char *text = malloc(capacity);
    for (int i = 0; i < statements; i++) {
        char line[128];
        seed = seed * 1103515245u + 12345u;
        int n = snprintf(line, sizeof line, "v%u = (v%u + %u) * %u.5 - v%u / 3;\nv%u + %u;\n",
                         (unsigned) i % 64, (unsigned) (i + 7) % 64, seed % 100, seed % 7,
                         (unsigned) (i + 3) % 64, (unsigned) i % 64, seed % 13);
        if (length + (size_t) n + 1 > capacity) {
            capacity *= 2;
            text = realloc(text, capacity);
        }
        memcpy(text + length, line, (size_t) n);
        length += (size_t) n;
    }
    text[length] = 0;
    return text;
}

int main(int argc, char **argv) {
    int statements = argc > 1 ? atoi(argv[1]) : 1000;
    struct map vars;
    struct heap results = { NULL, 0, 0 };
    map_init(&vars, 16);
    for (int i = 0; i < 64; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "v%d", i);
        map_find(&vars, name, (size_t) n, 1)->value = i;
    }
    char *program = generate_program(42, statements);
    int errors = run_program(program, &vars, &results);
    double sum = 0;
    while (results.size) sum += heap_pop(&results);
    printf("errors=%d sum=%g vars=%zu\n", errors, sum, vars.size);
    free(program);
    free(results.items);
    map_free(&vars);
    return errors != 0;
}
