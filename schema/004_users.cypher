// 004 users: API callers who follow and claim researchers, one node per caller id.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
