/*
 * hubspot_ids.c: the object types and association types the sandbox
 * serves, as HubSpot documents them ("Object type IDs" and "Association
 * type IDs" in its CRM guides).  Kept here, apart from the client's tables
 * (objtype.c, assoctype.c), so that a wrong ID in the client fails a test
 * instead of agreeing with itself.
 */
#include <string.h>

#include "portal.h"

/* id, plural name, singular, the name errors use ("CONTACT=101 is not
 * valid"). */
static const struct sandbox_type types[] = {
	{ "0-1", "contacts", "contact", "CONTACT" },
	{ "0-2", "companies", "company", "COMPANY" },
	{ "0-3", "deals", "deal", "DEAL" },
	{ "0-5", "tickets", "ticket", "TICKET" },
	{ "0-7", "products", "product", "PRODUCT" },
	{ "0-8", "line_items", "line_item", "LINE_ITEM" },
	{ "0-14", "quotes", "quote", "QUOTE" },
	{ "0-18", "communications", "communication", "COMMUNICATION" },
	{ "0-19", "feedback_submissions", "feedback_submission", "FEEDBACK_SUBMISSION" },
	{ "0-27", "tasks", "task", "TASK" },
	{ "0-46", "notes", "note", "NOTE" },
	{ "0-47", "meetings", "meeting", "MEETING_EVENT" },
	{ "0-48", "calls", "call", "CALL" },
	{ "0-49", "emails", "email", "EMAIL" },
	{ "0-53", "invoices", "invoice", "INVOICE" },
	{ "0-54", "marketing_events", "marketing_event", "MARKETING_EVENT" },
	{ "0-69", "subscriptions", "subscription", "SUBSCRIPTION" },
	{ "0-74", "goal_targets", "goal_target", "GOAL_TARGET" },
	{ "0-101", "commerce_payments", "commerce_payment", "COMMERCE_PAYMENT" },
	{ "0-115", "users", "user", "USER" },
	{ "0-116", "postal_mail", "postal_mail", "POSTAL_MAIL" },
	{ "0-123", "orders", "order", "ORDER" },
	{ "0-136", "leads", "lead", "LEAD" },
	{ "0-142", "carts", "cart", "CART" },
	{ "0-162", "services", "service", "SERVICE" },
	{ "0-410", "courses", "course", "COURSE" },
	{ "0-420", "listings", "listing", "LISTING" },
	{ "0-421", "appointments", "appointment", "APPOINTMENT" },
	{ "0-970", "projects", "project", "PROJECT" },
};

#define P ASSOC_F_PRIMARY
#define ONE_PARENT ASSOC_F_SINGLE_PARENT

/* HUBSPOT_DEFINED, a line a direction as HubSpot's table lists them:
 * from, to, typeId, the other direction's typeId, label, flags. */
static const struct sandbox_assoc_type assoc_types[] = {
	{ "0-1", "0-2", 279, 280, NULL, 0 },        /* contact to company */
	{ "0-2", "0-1", 280, 279, NULL, 0 },        /* company to contact */
	{ "0-1", "0-2", 1, 2, "Primary", P },       /* contact to company, primary */
	{ "0-2", "0-1", 2, 1, "Primary", P },       /* company to contact, primary */
	{ "0-3", "0-1", 3, 4, NULL, 0 },            /* deal to contact */
	{ "0-1", "0-3", 4, 3, NULL, 0 },            /* contact to deal */
	{ "0-3", "0-2", 341, 342, NULL, 0 },        /* deal to company */
	{ "0-2", "0-3", 342, 341, NULL, 0 },        /* company to deal */
	{ "0-3", "0-2", 5, 6, "Primary", P },       /* deal to company, primary */
	{ "0-2", "0-3", 6, 5, "Primary", P },       /* company to deal, primary */
	{ "0-5", "0-1", 16, 15, NULL, 0 },          /* ticket to contact */
	{ "0-1", "0-5", 15, 16, NULL, 0 },          /* contact to ticket */
	{ "0-5", "0-2", 339, 340, NULL, 0 },        /* ticket to company */
	{ "0-2", "0-5", 340, 339, NULL, 0 },        /* company to ticket */
	{ "0-5", "0-2", 26, 25, "Primary", P },     /* ticket to company, primary */
	{ "0-2", "0-5", 25, 26, "Primary", P },     /* company to ticket, primary */
	{ "0-5", "0-3", 28, 27, NULL, 0 },          /* ticket to deal */
	{ "0-3", "0-5", 27, 28, NULL, 0 },          /* deal to ticket */
	{ "0-3", "0-8", 19, 20, NULL, 0 },          /* deal to line item */
	{ "0-8", "0-3", 20, 19, NULL, 0 },          /* line item to deal */
	{ "0-2", "0-2", 13, 14, "Parent Company", ONE_PARENT },  /* parent to child */
	{ "0-2", "0-2", 14, 13, "Child Company", ONE_PARENT },   /* child to parent */
	{ "0-1", "0-1", 449, 449, NULL, 0 },        /* contact to contact */
	{ "0-2", "0-2", 450, 450, NULL, 0 },        /* company to company */
	{ "0-3", "0-3", 451, 451, NULL, 0 },        /* deal to deal */
	{ "0-5", "0-5", 452, 452, NULL, 0 },        /* ticket to ticket */
	{ "0-48", "0-1", 194, 193, NULL, 0 },       /* call to contact */
	{ "0-1", "0-48", 193, 194, NULL, 0 },
	{ "0-48", "0-2", 182, 181, NULL, 0 },       /* call to company */
	{ "0-2", "0-48", 181, 182, NULL, 0 },
	{ "0-48", "0-3", 206, 205, NULL, 0 },       /* call to deal */
	{ "0-3", "0-48", 205, 206, NULL, 0 },
	{ "0-48", "0-5", 220, 219, NULL, 0 },       /* call to ticket */
	{ "0-5", "0-48", 219, 220, NULL, 0 },
	{ "0-49", "0-1", 198, 197, NULL, 0 },       /* email to contact */
	{ "0-1", "0-49", 197, 198, NULL, 0 },
	{ "0-49", "0-2", 186, 185, NULL, 0 },       /* email to company */
	{ "0-2", "0-49", 185, 186, NULL, 0 },
	{ "0-49", "0-3", 210, 209, NULL, 0 },       /* email to deal */
	{ "0-3", "0-49", 209, 210, NULL, 0 },
	{ "0-49", "0-5", 224, 223, NULL, 0 },       /* email to ticket */
	{ "0-5", "0-49", 223, 224, NULL, 0 },
	{ "0-47", "0-1", 200, 199, NULL, 0 },       /* meeting to contact */
	{ "0-1", "0-47", 199, 200, NULL, 0 },
	{ "0-47", "0-2", 188, 187, NULL, 0 },       /* meeting to company */
	{ "0-2", "0-47", 187, 188, NULL, 0 },
	{ "0-47", "0-3", 212, 211, NULL, 0 },       /* meeting to deal */
	{ "0-3", "0-47", 211, 212, NULL, 0 },
	{ "0-47", "0-5", 226, 225, NULL, 0 },       /* meeting to ticket */
	{ "0-5", "0-47", 225, 226, NULL, 0 },
	{ "0-46", "0-1", 202, 201, NULL, 0 },       /* note to contact */
	{ "0-1", "0-46", 201, 202, NULL, 0 },
	{ "0-46", "0-2", 190, 189, NULL, 0 },       /* note to company */
	{ "0-2", "0-46", 189, 190, NULL, 0 },
	{ "0-46", "0-3", 214, 213, NULL, 0 },       /* note to deal */
	{ "0-3", "0-46", 213, 214, NULL, 0 },
	{ "0-46", "0-5", 228, 227, NULL, 0 },       /* note to ticket */
	{ "0-5", "0-46", 227, 228, NULL, 0 },
	{ "0-27", "0-1", 204, 203, NULL, 0 },       /* task to contact */
	{ "0-1", "0-27", 203, 204, NULL, 0 },
	{ "0-27", "0-2", 192, 191, NULL, 0 },       /* task to company */
	{ "0-2", "0-27", 191, 192, NULL, 0 },
	{ "0-27", "0-3", 216, 215, NULL, 0 },       /* task to deal */
	{ "0-3", "0-27", 215, 216, NULL, 0 },
	{ "0-27", "0-5", 230, 229, NULL, 0 },       /* task to ticket */
	{ "0-5", "0-27", 229, 230, NULL, 0 },
	{ "0-14", "0-3", 64, 63, NULL, 0 },         /* quote to deal */
	{ "0-3", "0-14", 63, 64, NULL, 0 },
	{ "0-14", "0-1", 69, 70, NULL, 0 },         /* quote to contact */
	{ "0-1", "0-14", 70, 69, NULL, 0 },
	{ "0-14", "0-2", 71, 72, NULL, 0 },         /* quote to company */
	{ "0-2", "0-14", 72, 71, NULL, 0 },
	{ "0-14", "0-8", 67, 68, NULL, 0 },         /* quote to line item */
	{ "0-8", "0-14", 68, 67, NULL, 0 },
};

const struct sandbox_type *
sandbox_types(size_t *n)
{
	*n = sizeof(types) / sizeof(types[0]);
	return types;
}

const struct sandbox_assoc_type *
sandbox_assoc_types(size_t *n)
{
	*n = sizeof(assoc_types) / sizeof(assoc_types[0]);
	return assoc_types;
}
