package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  @Test
  void replacesPlaceholdersInOnePass() {
    PromptTemplate template =
        PromptTemplate.of("t1", "", "Q: ${query} (${count})\n${passages}\nEnd ${query}", 50);

    List<ChatMessage> messages =
        template.render(
            "what about ${passages}?",
            List.of(new Passage("a", "first text"), new Passage("b", "second\n text")));

    assertEquals(
        List.of(
            ChatMessage.user(
                "Q: what about ${passages}? (2)\n[1] first text\n[2] second text\n"
                    + "End what about ${passages}?")),
        messages);
  }

  @Test
  void passagesAreCutToTheWordBudget() {
    PromptTemplate template = PromptTemplate.of("t1", "sys", "${query}|${passages}", 3);

    List<ChatMessage> messages =
        template.render("q", List.of(new Passage("a", "one two  three four five")));

    assertEquals(
        List.of(ChatMessage.system("sys"), ChatMessage.user("q|[1] one two three")), messages);
  }

  @Test
  void reasonToRankPromptAsksForTheJsonFieldsTheParserReads() {
    PromptTemplate template = PromptTemplate.reasonToRank();
    String user = template.render("how tall is k2", Answers.passages(2)).get(1).content();

    assertEquals(PromptTemplate.REASON_TO_RANK_VERSION, template.version());
    assertTrue(
        user.contains("Rank them by their relevance to the search query: how tall is k2"), user);
    assertTrue(user.contains("\n[1] text of passage 1\n[2] text of passage 2\n"), user);
    for (String field :
        List.of(
            "ranked_passages",
            "identifier",
            "direct_reason",
            "listwise_reason",
            "direct_answer_sentence")) {
      assertTrue(user.contains("\"" + field + "\""), field);
    }
    assertTrue(user.contains("from 1 to 2"), user);
  }

  @Test
  void cacheIdentityChangesWithWordingAndBudgetButKeepsTheVersion() {
    PromptTemplate base = PromptTemplate.of("v", "s", "${query} ${passages}", 10);

    assertTrue(base.cacheIdentity().startsWith("v#"), base.cacheIdentity());
    assertEquals(
        base.cacheIdentity(),
        PromptTemplate.of("v", "s", "${query} ${passages}", 10).cacheIdentity());
    assertNotEquals(base.cacheIdentity(), base.withWordBudget(11).cacheIdentity());
    assertNotEquals(
        base.cacheIdentity(),
        PromptTemplate.of("v", "s", "${query}: ${passages}", 10).cacheIdentity());
    assertNotEquals(
        base.cacheIdentity(),
        PromptTemplate.of("v", "t", "${query} ${passages}", 10).cacheIdentity());
  }

  @Test
  void invalidTemplatesAreRejectedWithAMessage() {
    IllegalArgumentException noPassages =
        assertThrows(
            IllegalArgumentException.class, () -> PromptTemplate.of("v", "", "${query}", 5));
    assertEquals("userMessage has no ${passages} placeholder: '${query}'", noPassages.getMessage());
    IllegalArgumentException noQuery =
        assertThrows(
            IllegalArgumentException.class, () -> PromptTemplate.of("v", "", "${passages}", 5));
    assertEquals("userMessage has no ${query} placeholder: '${passages}'", noQuery.getMessage());
    IllegalArgumentException budget =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromptTemplate.of("v", "", "${query}${passages}", 0));
    assertEquals("wordBudget must be >= 1, got 0", budget.getMessage());
    IllegalArgumentException version =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromptTemplate.of(" ", "", "${query}${passages}", 1));
    assertEquals("version is blank: ' '", version.getMessage());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromptTemplate.reasonToRank().render("q", List.of()));
    assertEquals("no passages to render for query 'q'", empty.getMessage());
  }

  @Test
  void chatMessageRoleIsChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "x"));
    assertEquals("role must be one of [system, user, assistant], got 'tool'", e.getMessage());
  }
}
